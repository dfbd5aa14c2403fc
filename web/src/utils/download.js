// Saving text the API produced (CSV, JSON) as a file. CSV gets a UTF-8 byte-order mark so
// that Excel opens the Chinese text correctly; stripBom() removes it again before an import.

export function saveText(text, filename, type) {
  const csv = /csv/.test(type);
  const blob = new Blob([csv && !text.startsWith('\ufeff') ? '\ufeff' + text : text], { type: `${type};charset=utf-8` });
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
