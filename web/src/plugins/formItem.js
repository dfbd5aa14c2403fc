// A field's error, for a screen reader and the keyboard. Every <el-form-item> of the console is
// this component (registered under Element Plus' name in plugins/element.js): Element Plus' form
// item, unchanged, plus, while the item shows an error (its `error` prop, from a form's own
// check or from useFieldErrors after a 422):
// - its control (the inputs Element Plus ties to the item: input, select, date, switch…) has
//   aria-invalid="true" and aria-describedby naming the message, taken away with the error;
// - the message has an id (it is Element Plus' own div, role="alert", so it is read out as it
//   appears);
// - when errors appear, the focus moves to the first field in error of the form (in the order
//   of the page), once per change, not when an item is shown with an error already; when a
//   form's own check fails again with the same messages, useFieldErrors says so (errorsAgain).
// - while the item is required (its `required` prop, or a rule of the item or of the form at its
//   prop with required: true — what draws Element Plus' asterisk), its controls have
//   aria-required="true", so a screen reader says so before anything is sent.
// The texts are the forms' own; nothing here depends on the language.
import { computed, defineComponent, h, inject, nextTick, onBeforeUnmount, ref, watch } from 'vue';
import { ElFormItem, formContextKey, formItemContextKey } from 'element-plus';

// form item element → its controls (for the focus, which looks across the items of a form)
const controlsOf = new WeakMap();
let seq = 0;

const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';
/** What takes the focus for a control: itself, or inside a group the checked or first choice. */
function focusTarget(el) {
  if (el.matches(FOCUSABLE)) return el;
  return el.querySelector('input:checked:not([disabled])') || el.querySelector(FOCUSABLE);
}
const shown = (el) => el.isConnected && el.getClientRects().length > 0;

// the containers (forms) whose errors changed in this tick
let pending = null;
function focusFirstError(itemEl) {
  const box = itemEl.closest('form, [role="dialog"]') || document.body;
  if (pending) {
    pending.add(box);
    return;
  }
  pending = new Set([box]);
  // after the render: the items' is-error classes are there
  nextTick(() => {
    const boxes = [...pending];
    pending = null;
    for (const b of boxes) {
      if (!b.isConnected) continue;
      for (const item of b.querySelectorAll('.el-form-item.is-error')) {
        const get = controlsOf.get(item);
        const target = (get ? get() : []).map(focusTarget).find((el) => el && shown(el));
        if (!target) continue;
        if (!item.contains(document.activeElement)) target.focus();
        return;
      }
    }
  });
}

// the items mounted now, for errorsAgain
const live = new Set();

/**
 * A form's check failed again with the same messages (useFieldErrors.clear() and the same
 * errors in one tick): nothing changed at the fields, so the focus is moved from here, to the
 * first field in error of the form that shows one of these messages.
 */
export function errorsAgain(messages) {
  const item = [...live].find((x) => x.validateState === 'error' && x.$el && messages.includes(x.validateMessage));
  if (item) focusFirstError(item.$el);
}

function addToken(el, attr, token) {
  const list = (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean);
  if (!list.includes(token)) el.setAttribute(attr, [...list, token].join(' '));
}
function removeToken(el, attr, token) {
  const list = (el.getAttribute(attr) || '').split(/\s+/).filter((x) => x && x !== token);
  if (list.length) el.setAttribute(attr, list.join(' '));
  else el.removeAttribute(attr);
}

/** Rendered inside the item (so it sees Element Plus' item context); renders nothing. */
const ErrorLink = defineComponent({
  name: 'PjFieldErrorLink',
  props: { errorId: { type: String, required: true } },
  setup(props) {
    const item = inject(formItemContextKey, null);
    if (!item) return () => null;
    // the controls Element Plus registered with the item (ids); else plain inputs in it that
    // belong to no inner item
    const controls = () => {
      const own = item.inputIds.map((id) => document.getElementById(id)).filter(Boolean);
      if (own.length || !item.$el) return own;
      return [...item.$el.querySelectorAll('input:not([type="hidden"]), textarea, select')].filter((el) => el.closest('.el-form-item') === item.$el);
    };
    const marked = new Set();
    function mark(bad) {
      const now = bad ? controls() : [];
      for (const el of marked) {
        if (now.includes(el)) continue;
        el.removeAttribute('aria-invalid');
        removeToken(el, 'aria-describedby', props.errorId);
        marked.delete(el);
      }
      for (const el of now) {
        el.setAttribute('aria-invalid', 'true');
        addToken(el, 'aria-describedby', props.errorId);
        marked.add(el);
      }
    }
    // required: as Element Plus decides it (the is-required class it sets from the prop and
    // the rules), read after the render
    const form = inject(formContextKey, null);
    const requiredOn = new Set();
    function markRequired() {
      const now = item.$el && item.$el.classList.contains('is-required') ? controls() : [];
      for (const el of requiredOn) {
        if (now.includes(el)) continue;
        el.removeAttribute('aria-required');
        requiredOn.delete(el);
      }
      for (const el of now) {
        el.setAttribute('aria-required', 'true');
        requiredOn.add(el);
      }
    }
    watch(
      () => [item.required, item.rules, item.prop, form?.rules, item.inputIds.join(' ')],
      () => nextTick(markRequired),
      { immediate: true, deep: true },
    );
    let registered = null;
    watch(
      () => [item.validateState === 'error', item.validateMessage, item.inputIds.join(' ')],
      ([bad, message], old) => {
        nextTick(() => {
          mark(bad);
          if (item.$el && item.$el !== registered) {
            registered = item.$el;
            controlsOf.set(registered, controls);
          }
        });
        // a new error, or another message (another attempt): to the first field in error
        if (old && bad && (!old[0] || message !== old[1]) && item.$el) focusFirstError(item.$el);
      },
      { immediate: true },
    );
    live.add(item);
    onBeforeUnmount(() => {
      live.delete(item);
      mark(false);
      for (const el of requiredOn) el.removeAttribute('aria-required');
    });
    return () => null;
  },
});

export default defineComponent({
  name: 'PjFormItem',
  inheritAttrs: false,
  setup(_, { attrs, slots, expose }) {
    const inner = ref();
    const form = inject(formContextKey, null);
    const errorId = 'pj-field-error-' + ++seq;
    const inline = () => {
      const own = attrs.inlineMessage ?? attrs['inline-message'];
      return own === undefined ? !!form?.inlineMessage : own !== false;
    };
    // what Element Plus' item offers to a ref
    expose({
      validate: (...a) => inner.value.validate(...a),
      clearValidate: () => inner.value.clearValidate(),
      resetField: () => inner.value.resetField(),
      setInitialValue: (v) => inner.value.setInitialValue(v),
      validateState: computed(() => inner.value?.validateState),
      validateMessage: computed(() => inner.value?.validateMessage),
      size: computed(() => inner.value?.size),
    });
    return () =>
      h(
        ElFormItem,
        { ...attrs, ref: inner },
        {
          ...slots,
          default: () => [...(slots.default ? slots.default() : []), h(ErrorLink, { errorId })],
          // Element Plus' message (same classes, role="alert") with an id to be named by
          error:
            slots.error ||
            (({ error }) =>
              h('div', { id: errorId, class: ['el-form-item__error', inline() && 'el-form-item__error--inline'], role: 'alert' }, error)),
        },
      );
  },
});
