// Markdown written by instructors (prompts, hints, explanations, lab intros) rendered with
// markdown-it: raw HTML is escaped (html: false), links open in a new tab, headings start below
// the page's own, code blocks wrap and can be reached by keyboard, wide tables scroll inside a
// region a keyboard can reach. A bank cannot inject markup into a learner's page.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// Prompts sit under the page's h1/h2: "# Title" in a lab becomes an h3.
md.renderer.rules.heading_open = (tokens, i) => `<h${Math.min(6, Number(tokens[i]!.tag.slice(1)) + 2)}>`;
md.renderer.rules.heading_close = (tokens, i) => `</h${Math.min(6, Number(tokens[i]!.tag.slice(1)) + 2)}>`;

const defaultLink = md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i]!.attrSet('target', '_blank');
  tokens[i]!.attrSet('rel', 'noreferrer');
  return defaultLink(tokens, i, options, env, self);
};

const code = (content: string) => `<pre tabindex="0"><code>${md.utils.escapeHtml(content.replace(/\n$/, ''))}</code></pre>\n`;
md.renderer.rules.fence = (tokens, i) => code(tokens[i]!.content);
md.renderer.rules.code_block = (tokens, i) => code(tokens[i]!.content);
md.renderer.rules.table_open = () => '<div class="md-table" tabindex="0"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** One line of Markdown as plain text (marks removed), for lists and table cells. */
export function plainText(markdown: string): string {
  return (
    markdown
      .split('\n')
      .map((l) => l.replace(/^#+\s*/, '').replace(/\*\*|__|[*_`]/g, '').trim())
      .find(Boolean) ?? ''
  );
}
