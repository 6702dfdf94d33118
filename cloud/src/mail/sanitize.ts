import sanitizeHtml from 'sanitize-html';

// The configuration of the stack notes (§3.4): layout attributes pass, scripts and remote
// schemes other than http(s)/mailto do not; `cid:` images stay so the device can show inline parts.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'center', 'font', 'span'],
  allowedAttributes: {
    '*': ['style', 'align', 'valign', 'width', 'height', 'bgcolor', 'color', 'dir', 'lang', 'title'],
    a: ['href', 'name', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    font: ['face', 'size', 'color'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'bgcolor', 'align'],
    td: ['colspan', 'rowspan', 'width', 'height', 'bgcolor', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'width', 'height', 'bgcolor', 'align', 'valign'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data', 'https', 'http'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank' }) },
};

/** Mail HTML made safe to store and show: no scripts, handlers, forms or foreign schemes. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
