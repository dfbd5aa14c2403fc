// The state of a table import (the statistics import, the facility import): a file chosen is
// sent at once as a dry run, whose answer (check) previews every row; commit sends the same
// bytes for real. send(bytes, type, dryRun) is the resource's upload; committed(result) runs
// after a commit the server accepted. Failures become the message in `error`, in the user's
// language where the console knows the reason (utils/tableFile.js).
import { ref, shallowRef } from 'vue';
import { apiMessage } from '@/utils/errors.js';
import { tableFailure, tableType } from '@/utils/tableFile.js';

export function useTableImport(send, t, committed) {
  const file = shallowRef(null);
  const check = shallowRef(null);
  const result = shallowRef(null);
  const checking = ref(false);
  const committing = ref(false);
  const error = ref('');
  const input = ref(null); // the <input type="file">, cleared by reset

  const failure = (e) => tableFailure(e, file.value, t, apiMessage);

  function reset() {
    file.value = null;
    check.value = null;
    result.value = null;
    error.value = '';
    if (input.value) input.value.value = '';
  }

  async function onFile(ev) {
    const f = ev.target.files && ev.target.files[0];
    check.value = null;
    result.value = null;
    error.value = '';
    if (!f) return (file.value = null);
    const bytes = new Uint8Array(await f.arrayBuffer());
    file.value = { name: f.name, bytes, type: tableType(f.name, bytes) };
    checking.value = true;
    try {
      check.value = await send(bytes, file.value.type, true);
    } catch (e) {
      error.value = failure(e);
    } finally {
      checking.value = false;
    }
  }

  async function commit() {
    committing.value = true;
    error.value = '';
    try {
      result.value = await send(file.value.bytes, file.value.type, false);
      committed(result.value);
    } catch (e) {
      error.value = failure(e);
    } finally {
      committing.value = false;
    }
  }

  return { file, check, result, checking, committing, error, input, reset, onFile, commit };
}
