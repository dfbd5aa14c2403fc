// The state of a table import (the statistics import, the facility import): a file chosen is
// sent at once as a dry run, whose answer (check) previews every row; commit sends the bytes
// of the file that preview is of. Only the file chosen last is previewed: the answer for an
// earlier one (a slow network, a large table) is dropped, and nothing can be confirmed while a
// check runs. send(bytes, type, dryRun) is the resource's upload; committed(result) runs
// after a commit the server accepted. Failures become the message in `error`, in the user's
// language where the console knows the reason (utils/tableFile.js).
import { ref, shallowRef } from 'vue';
import { apiMessage, usePageError } from '@/utils/errors.js';
import { latest } from '@/utils/latest.js';
import { tableFailure, tableType } from '@/utils/tableFile.js';

export function useTableImport(send, t, committed) {
  const file = shallowRef(null);
  const check = shallowRef(null);
  const result = shallowRef(null);
  const checking = ref(false);
  const committing = ref(false);
  const error = usePageError();
  const input = ref(null); // the <input type="file">, cleared by reset
  let checked = null; // the file the preview (check) is of

  // said again in the other language on a switch: of the file the request was for
  const failure = (e) => {
    const f = file.value;
    error.say(() => tableFailure(e, f, t, apiMessage));
  };

  function reset() {
    onFile.abort(); // a check still on its way is of a file no longer chosen
    checked = null;
    checking.value = false;
    file.value = null;
    check.value = null;
    result.value = null;
    error.value = '';
    if (input.value) input.value.value = '';
  }

  // the file chosen last wins: an older check's answer (or its file's bytes) arriving later is
  // dropped
  const onFile = latest(async (run, ev) => {
    const f = ev.target.files && ev.target.files[0];
    check.value = null;
    checked = null;
    result.value = null;
    error.value = '';
    if (!f) return (file.value = null);
    const bytes = new Uint8Array(await run(f.arrayBuffer()));
    const chosen = { name: f.name, bytes, type: tableType(f.name, bytes) };
    file.value = chosen;
    checking.value = true;
    try {
      check.value = await run(send(bytes, chosen.type, true));
      checked = chosen;
    } catch (e) {
      failure(e);
    } finally {
      checking.value = false;
    }
  });

  async function commit() {
    if (!checked || checking.value) return;
    committing.value = true;
    error.value = '';
    try {
      result.value = await send(checked.bytes, checked.type, false);
      committed(result.value);
    } catch (e) {
      failure(e);
    } finally {
      committing.value = false;
    }
  }

  return { file, check, result, checking, committing, error, input, reset, onFile, commit };
}
