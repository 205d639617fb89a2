// Moving keyboard focus out of a widget that keeps Tab for itself (the terminal: Tab completes in
// the shell), to the next or previous element a keyboard can reach, in document order.
const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), summary';

function visible(el: HTMLElement): boolean {
  return el.offsetParent !== null || el === document.activeElement || getComputedStyle(el).position === 'fixed';
}

/** Focuses the first tabbable element after (or before) `container`, outside it. */
export function focusOutside(container: HTMLElement, direction: 1 | -1): boolean {
  const all = [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => visible(el) && el.closest('[inert]') === null);
  const outside = all.filter((el) => !container.contains(el));
  const after = outside.filter((el) => container.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const before = outside.filter((el) => container.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  const target = direction === 1 ? (after[0] ?? outside[0]) : (before.at(-1) ?? outside.at(-1));
  target?.focus();
  return Boolean(target);
}
