// A question's short plain-text title for lists: the prompt's first sentence with the Markdown
// marks removed, cut on a word boundary so a list never shows half a word.
const MAX_TITLE = 100;

/** Markdown to one line of plain text: code fences, links, emphasis and list/heading marks removed. */
export function stripMarkdown(md: string): string {
  return md
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|_|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentence of the prompt, at most about 100 characters, ending on a whole word. */
export function questionTitle(prompt: string, max = MAX_TITLE): string {
  const text = stripMarkdown(prompt);
  // A sentence ends at . ! ? or : followed by a space; "e.g. " or "192.168.1.0" do not end one
  // (a dot followed by a digit or lower-case letter is not a sentence end).
  const end = text.search(/[.!?:](?=\s+[^a-z0-9]|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
