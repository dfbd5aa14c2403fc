// Saving what the API produced (CSV, JSON text; XLSX bytes) as a file. CSV gets a UTF-8 byte-order mark so
// that Excel opens the Chinese text correctly; stripBom() removes it again before an import.
// useExport(): a page's export buttons, one export at a time.
import { ref } from 'vue';

export function saveText(text, filename, type) {
  const csv = /csv/.test(type);
  saveBlob(new Blob([csv && !text.startsWith('\ufeff') ? '\ufeff' + text : text], { type: `${type};charset=utf-8` }), filename);
}

/**
 * One CSV line of cells, as the server writes its CSV (src/core/csv.c pj_csv_field): a cell
 * with a comma, quote or line break quoted; a text a spreadsheet would run as a formula (=, +,
 * -, @, tab, CR first; not a number such as -3.5) and one that starts like a guarded one ('=…)
 * quoted after an apostrophe.
 */
export function csvLine(cells) {
  return (
    cells
      .map((c) => {
        const s = c == null ? '' : String(c);
        const formula = (/^[=+\-@\t\r]/.test(s) && !Number.isFinite(Number(s))) || /^'[=+\-@\t\r]/.test(s);
        if (!formula && !/[,"\r\n]/.test(s)) return s;
        return '"' + (formula ? "'" : '') + s.replace(/"/g, '""') + '"';
      })
      .join(',') + '\r\n'
  );
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

/**
 * The export buttons of a page (CSV, XLSX, JSON): one export at a time. While one runs its
 * button shows loading and the page's other export buttons are disabled; a second click (a
 * double click, Enter again, another format) before its file arrives does nothing, so the user
 * gets one file of the filters they clicked with, never two in an order of the network's.
 *
 *   const { exporting, exportFile } = useExport(error.set); // error = usePageError()
 *   exportFile('csv', () => api.exportCsv(query), 'facilities.csv');
 *   <el-button :loading="exporting === 'csv'" :disabled="!!exporting && exporting !== 'csv'" …>
 *
 * `produce()` gives the file's text (saved with the type its name ends in: csv, json) or a Blob
 * (XLSX); a refusal goes to `onError`. `exporting` is the key of the export under way, or ''.
 */
export function useExport(onError) {
  const exporting = ref('');
  async function exportFile(key, produce, filename) {
    if (exporting.value) return;
    exporting.value = key;
    try {
      const x = await produce();
      if (typeof x === 'string') saveText(x, filename, TYPES[filename.split('.').pop()] || 'text/plain');
      else saveBlob(x, filename);
    } catch (e) {
      if (onError) onError(e);
    } finally {
      exporting.value = '';
    }
  }
  return { exporting, exportFile };
}
const TYPES = { csv: 'text/csv', json: 'application/json' };
