// The article sanitiser: what survives, and the usual XSS vectors, which must not.
import { describe, expect, it } from 'vitest';
import { renderArticleBody, sanitizeArticleHtml } from './content.sanitize.js';

/** No executable markup left anywhere in the output. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script|<iframe|<svg|<object|<embed|<style|<math|<form|<input|<meta|<link/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
  expect(html).not.toMatch(/style\s*=/i);
}

describe('sanitizeArticleHtml', () => {
  it('keeps the allowlisted structure (void elements come out self-closed)', () => {
    const html =
      '<h2>标题</h2><p>一段<strong>重点</strong><em>强调</em><u>下划线</u><s>删除</s><br>换行</p>' +
      '<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote>引用</blockquote><hr>' +
      '<table><thead><tr><th colspan="2">表头</th></tr></thead><tbody><tr><td rowspan="1">1</td><td>2</td></tr></tbody></table>' +
      '<figure><img src="/api/content/files/01ABC" alt="图" width="640" height="360"><figcaption>说明</figcaption></figure>' +
      '<div><span>文字</span></div>';
    expect(sanitizeArticleHtml(html)).toBe(html.replace(/<(br|hr|img[^>]*)>/g, '<$1 />'));
  });

  it('drops <script> with its content, and event handlers', () => {
    const out = sanitizeArticleHtml(
      '<p>hi<script>alert(1)</script></p><img src="/api/x" onerror="alert(1)">',
    );
    expect(out).toBe('<p>hi</p><img src="/api/x" />');
    expectInert(out);
  });

  it('drops images whose src is not an own /api/ path or https', () => {
    for (const src of [
      'x',
      'javascript:alert(1)',
      'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
      'http://example.com/a.png',
      '//evil.example/a.png',
      '/\\evil.example/a.png',
      '/uploads/a.png',
      ' data:text/html,<script>alert(1)</script>',
    ]) {
      const out = sanitizeArticleHtml(`<p>a<img src="${src}" onerror="alert(1)">b</p>`);
      expect(out, src).toBe('<p>ab</p>');
    }
    expect(sanitizeArticleHtml('<img src="https://img.example.cn/a.jpg" alt="a">')).toBe(
      '<img src="https://img.example.cn/a.jpg" alt="a" />',
    );
  });

  it('keeps safe links, marks absolute ones noopener/_blank and strips dangerous hrefs', () => {
    expect(
      sanitizeArticleHtml('<a href="https://www.baoan.gov.cn" target="_self" rel="opener">宝安</a>'),
    ).toBe('<a href="https://www.baoan.gov.cn" rel="noopener noreferrer" target="_blank">宝安</a>');
    expect(sanitizeArticleHtml('<a href="/api/content/files/1">附件</a>')).toBe(
      '<a href="/api/content/files/1">附件</a>',
    );
    expect(
      sanitizeArticleHtml('<a href="mailto:fy@example.cn">信</a><a href="tel:0755-27310000">电</a>'),
    ).toBe('<a href="mailto:fy@example.cn">信</a><a href="tel:0755-27310000">电</a>');
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java&#x09;script:alert(1)',
      '&#106;avascript:alert(1)',
      ' javascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      '//evil.example',
    ]) {
      const out = sanitizeArticleHtml(`<a href="${href}">x</a>`);
      expectInert(out);
      expect(out, href).toBe('<a>x</a>');
    }
  });

  it('removes <iframe>, <svg onload>, <object>, <style>, forms and style attributes', () => {
    const out = sanitizeArticleHtml(
      '<iframe src="https://evil.example"></iframe><svg onload="alert(1)"><script>alert(2)</script><text>t</text></svg>' +
        '<object data="x.swf"></object><embed src="x"><style>p{color:red}</style><form action="/x"><input name="a"></form>' +
        '<p style="background:url(javascript:alert(1))" class="x" id="y">文本</p><math><mtext>m</mtext></math>',
    );
    expect(out).toBe('<p>文本</p>');
  });

  it('survives nested and malformed tricks', () => {
    for (const input of [
      '<scr<script>ipt>alert(1)</scr</script>ipt>',
      '<<script>script>alert(1)<</script>/script>',
      '<img src="/api/a"" onerror="alert(1)">',
      '<img """><script>alert(1)</script>">',
      '<a href="https://x.example" onclick="alert(1)" onmouseover=alert(1)>x</a>',
      '<div><p><span onmouseover="alert(1)">x</span></p></div>',
      '<!--<img src=x onerror=alert(1)>--><p>ok</p>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
      '<a href="javas&#99;ript:alert(1)">x</a>',
      '<base href="javascript:/"><a href="/x">x</a>',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ]) {
      const out = sanitizeArticleHtml(input);
      expectInert(out);
      // whatever text remains is escaped, never markup
      expect(out.replace(/<\/?(p|div|span|a|img|table)( [^>]*)?>/g, '')).not.toMatch(/<[a-z!/]/i);
    }
  });

  it('keeps only numeric image sizes and table spans', () => {
    expect(sanitizeArticleHtml('<img src="/api/a" width="100%" height="expression(alert(1))">')).toBe(
      '<img src="/api/a" />',
    );
    expect(sanitizeArticleHtml('<table><tr><td colspan="x" rowspan="2">a</td></tr></table>')).toBe(
      '<table><tr><td rowspan="2">a</td></tr></table>',
    );
  });
});

describe('renderArticleBody', () => {
  it('renders Markdown: headings (h1 → h2), lists, links, emphasis, tables, line breaks', () => {
    const html = renderArticleBody(
      'markdown',
      '# 通知\n\n## 活动安排\n\n- 时间：6月1日\n- 地点：福永街道办\n\n**请准时参加**，详见[宝安区政府网](https://www.baoan.gov.cn)。\n第二行\n\n| 项目 | 时间 |\n| :- | -: |\n| 排查 | 6月 |\n\n~~作废~~',
    );
    expect(html).toContain('<h2>通知</h2>');
    expect(html).toContain('<h2>活动安排</h2>');
    expect(html).toContain('<li>时间：6月1日</li>');
    expect(html).toContain('<strong>请准时参加</strong>');
    expect(html).toContain(
      '<a href="https://www.baoan.gov.cn" rel="noopener noreferrer" target="_blank">宝安区政府网</a>',
    );
    expect(html).toContain('<br />第二行');
    expect(html).toContain('<th>项目</th>');
    expect(html).not.toContain('align=');
    expect(html).toContain('<s>作废</s>');
  });

  it('sanitises raw HTML and dangerous links inside Markdown', () => {
    const html = renderArticleBody(
      'markdown',
      '正文<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1)) ![图](data:image/png;base64,AAAA) ![好图](/api/content/files/01X)\n\n<iframe src="https://evil.example"></iframe>',
    );
    expectInert(html);
    expect(html).toContain('<img src="/api/content/files/01X" alt="好图" />');
    expect(html).toContain('<a>点我</a>');
    expect(html).toContain('正文');
  });

  it('treats html input the same way', () => {
    const html = renderArticleBody('html', '<h1>标题</h1><p onclick="x()">段落</p><script>alert(1)</script>');
    expect(html).toBe('<h2>标题</h2><p>段落</p>');
  });
});
