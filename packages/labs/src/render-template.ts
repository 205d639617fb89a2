// Lab variables in Markdown: `{{ name }}` becomes the variable's value. Unknown names are errors
// found at load time (with their line), never a literal "{{ x }}" shown to a learner.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface UnknownVariable {
  name: string;
  /** 1-based line of the placeholder within the text. */
  line: number;
}

/** Names used in `text` that `variables` does not define, with their line. */
export function findUnknownVariables(text: string, variables: Record<string, string>): UnknownVariable[] {
  const out: UnknownVariable[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!Object.hasOwn(variables, name)) out.push({ name, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Substitutes every `{{ name }}`; unknown names are left as they are (validation reports them). */
export function renderTemplate(text: string, variables: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(variables, name) ? variables[name]! : whole));
}

/** Shell assignments that give every script the lab variables (`gateway='192.168.1.6'`). */
export function shellVariables(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
