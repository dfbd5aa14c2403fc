// A spreadsheet chosen for an import (the statistics import, the facility import): its bytes
// go to the server as they are, with the content type of a workbook or of CSV text; and what
// the console says when the server cannot read the file — a CSV that is not UTF-8 (Excel's
// "CSV" in GBK on a Chinese Windows) or an old binary .xls — in the user's language.

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook by its zip signature (PK\3\4) or its name; anything else goes as CSV text. */
export function tableType(name, bytes) {
  const zip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  return zip || /\.xlsx?$/i.test(name) ? XLSX_TYPE : 'text/csv';
}

/** What the console says of a CSV that is not UTF-8, GBK (Excel's "CSV" on a Chinese Windows)
 * named as such: the message {prefix}.gbk or {prefix}.notUtf8. */
export function encodingMessage(bytes, t, prefix = 'dev.imp') {
  try {
    const text = new TextDecoder('gbk', { fatal: true }).decode(bytes);
    if (/[\u4e00-\u9fff]/.test(text)) return t(prefix + '.gbk');
  } catch {
    /* not GBK either */
  }
  return t(prefix + '.notUtf8');
}

/** The text of a CSV file's bytes when they are UTF-8 (a byte order mark dropped), else null:
 * never decoded lossily, which would turn GBK into U+FFFD marks the server would store. */
export function utf8Text(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The message for an import's failure e of file f ({name, bytes}); fallback(e) otherwise. */
export function tableFailure(e, f, t, fallback) {
  if (e && e.code === 'bad_csv' && /UTF-8/.test(e.message || '')) return encodingMessage(f.bytes, t);
  // a file of no bytes (a download that failed, a file not yet saved): said as such, whatever
  // type its name gives it
  if (e && (e.code === 'bad_csv' || e.code === 'bad_xlsx') && f.bytes && f.bytes.length === 0) return t('dev.imp.emptyFile', { name: f.name });
  // a header and no rows: nothing to import (the server says so rather than "0 imported")
  if (e && e.code === 'no_rows') return t('dev.imp.noRows', { name: f.name });
  // the old binary Excel format (.xls): not a workbook the server reads
  if (e && e.code === 'bad_xlsx' && /\.xls$/i.test(f.name)) return t('dev.imp.xls');
  return fallback(e);
}
