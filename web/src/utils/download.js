// Saving what the API produced (CSV, JSON text; XLSX bytes) as a file. CSV gets a UTF-8 byte-order mark so
// that Excel opens the Chinese text correctly; stripBom() removes it again before an import.

export function saveText(text, filename, type) {
  const csv = /csv/.test(type);
  saveBlob(new Blob([csv && !text.startsWith('\ufeff') ? '\ufeff' + text : text], { type: `${type};charset=utf-8` }), filename);
}

/** Saves bytes the API produced (an XLSX workbook) as a file. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function stripBom(text) {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
