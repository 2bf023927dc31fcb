// Article bodies: Markdown rendered with marked, and Markdown output or raw HTML alike passed through
// sanitize-html with a strict allowlist. Pure; the result is stored as body_html at save time and
// served as is, so everything the resident app renders went through here.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { IOptions, Transformer } from 'sanitize-html';

export type BodyFormat = 'markdown' | 'html';

const markdown = new Marked({ gfm: true, breaks: true });

const ALLOWED_TAGS = [
  'p',
  'br',
  'h2',
  'h3',
  'h4',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'figure',
  'figcaption',
  'span',
  'div',
];

// Dropped together with everything inside them (other disallowed tags keep their text).
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'template',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'head',
];

const DIMENSION = /^\d{1,4}$/;
const SPAN = /^\d{1,3}$/;

function cleanUrl(value: string | undefined): string {
  // sanitize-html also strips control characters and whitespace tricks before its scheme check;
  // we trim so that our own decisions below see what the browser would see
  return (value ?? '').trim();
}

/** http(s) URLs open in a new tab without access to the opener. */
function isAbsoluteHttp(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

/** Relative path to our own API (/api/…) — not protocol-relative, no backslash tricks. */
function isOwnApiPath(src: string): boolean {
  return src.startsWith('/api/') && !src.includes('\\') && !/[\s\p{Cc}]/u.test(src);
}

function isHttpsUrl(src: string): boolean {
  if (!/^https:\/\//i.test(src)) return false;
  try {
    return new URL(src).protocol === 'https:';
  } catch {
    return false;
  }
}

const transformLink: Transformer = (_tag, attribs) => {
  const href = cleanUrl(attribs.href);
  const out: Record<string, string> = {};
  if (href) out.href = href;
  if (attribs.title) out.title = attribs.title;
  if (isAbsoluteHttp(href)) {
    out.rel = 'noopener noreferrer';
    out.target = '_blank';
  }
  return { tagName: 'a', attribs: out };
};

const transformImage: Transformer = (_tag, attribs) => {
  const src = cleanUrl(attribs.src);
  const out: Record<string, string> = {};
  // anything else (data:, javascript:, http:, //host, relative paths outside /api/) loses its src,
  // and an image without src is dropped below
  if (isOwnApiPath(src) || isHttpsUrl(src)) out.src = src;
  if (attribs.alt) out.alt = attribs.alt;
  if (attribs.title) out.title = attribs.title;
  if (attribs.width && DIMENSION.test(attribs.width)) out.width = attribs.width;
  if (attribs.height && DIMENSION.test(attribs.height)) out.height = attribs.height;
  return { tagName: 'img', attribs: out };
};

const transformCell =
  (tag: 'th' | 'td'): Transformer =>
  (_tag, attribs) => {
    const out: Record<string, string> = {};
    if (attribs.colspan && SPAN.test(attribs.colspan)) out.colspan = attribs.colspan;
    if (attribs.rowspan && SPAN.test(attribs.rowspan)) out.rowspan = attribs.rowspan;
    return { tagName: tag, attribs: out };
  };

const OPTIONS: IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowedStyles: {},
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  nestingLimit: 32,
  parseStyleAttributes: false,
  transformTags: {
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    del: 's',
    strike: 's',
    ins: 'u',
    a: transformLink,
    img: transformImage,
    th: transformCell('th'),
    td: transformCell('td'),
  },
  // an image whose src was refused goes away entirely
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** Sanitise HTML (from an editor or from marked) to the article allowlist. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Render an article body to safe HTML: Markdown through marked first, then the sanitiser. */
export function renderArticleBody(format: BodyFormat, source: string): string {
  const html = format === 'markdown' ? markdown.parse(source, { async: false }) : source;
  return sanitizeArticleHtml(html);
}
