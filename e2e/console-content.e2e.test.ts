// The content editor end to end in Debian's Chromium at 1440×900, on the real server and database:
// the editor writes a news article with a heading, a list and a script line, gives it a cover,
// saves it as a draft (residents do not see it), previews the server's sanitised rendering,
// publishes it (residents see it, without the script), and finds the seeded quiet section flagged in
// the freshness view.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makePhoto } from '../server/src/test/helpers.js';
import {
  describeBrowser,
  desktopContext,
  screenshotPath,
  startE2E,
  signInConsole as signIn,
  consoleText,
} from './harness.js';
import type { E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

const w = consoleText;

interface PublicList {
  items: { id: string; title: string }[];
}

async function publicNewsTitles(): Promise<string[]> {
  const res = await e.t.call('GET', '/api/content/articles?section=news&pageSize=50');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as PublicList).items.map((i) => i.title);
}

describeBrowser('staff console: content (Chromium, desktop)', () => {
  it('the editor drafts, previews and publishes a news article; the freshness view flags a quiet section', async () => {
    const title = '社区义诊活动通知（控制台测试）';
    const ctx = await desktopContext(e);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'editor');
      // the editor's console opens on the content page
      await page.waitForURL(/\/console\/content$/);
      await page.getByRole('tab', { name: w('content.articles') }).waitFor();

      // the 新闻动态 section, then a new article in it
      await page.locator('.ant-tree-node-content-wrapper').filter({ hasText: '新闻动态' }).click();
      await page.getByRole('button', { name: w('content.new') }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByLabel(w('editor.title'), { exact: true }).fill(title);
      await drawer
        .getByLabel(w('editor.summary'), { exact: true })
        .fill('本周六上午社区义诊，欢迎居民参加。');
      const body = drawer.getByLabel(w('editor.body'), { exact: true });
      await body.fill('本周六上午在社区广场举行义诊。\n');
      // the toolbar's heading button starts a "## " line
      await drawer.getByRole('button', { name: w('editor.h2'), exact: true }).click();
      await expect.poll(() => body.inputValue()).toContain(`## ${w('editor.headingText')}`);
      await body.fill(
        [
          '本周六上午在社区广场举行义诊。',
          '',
          '## 服务项目',
          '',
          '- 测量血压',
          '- 中医问诊',
          '',
          '<script>alert(1)</script>',
          '',
          '请携带医保卡。',
        ].join('\n'),
      );

      // a cover image: uploaded, shown as a thumbnail
      await drawer.locator('.jd-cover-upload input[type=file]').setInputFiles({
        name: 'cover.jpg',
        mimeType: 'image/jpeg',
        buffer: await makePhoto({ color: '#c84' }),
      });
      await drawer.getByRole('img', { name: w('editor.cover') }).waitFor({ timeout: 15_000 });

      // saved as a draft: in the console's list, not in the public one
      await drawer.getByRole('button', { name: w('editor.saveDraft'), exact: true }).click();
      const row = page.locator('.ant-table-row').filter({ hasText: title });
      await row.waitFor({ timeout: 10_000 });
      await expect(row.getByText(w('content.state.draft'), { exact: true }).isVisible()).resolves.toBe(true);
      expect(await publicNewsTitles()).not.toContain(title);

      // the preview is the server's sanitised rendering
      await drawer.getByRole('tab', { name: w('editor.preview') }).click();
      const preview = drawer.locator('.jd-article-preview');
      await preview.locator('h2', { hasText: '服务项目' }).waitFor({ timeout: 10_000 });
      expect(await preview.locator('li').count()).toBe(2);
      expect(await preview.locator('script').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('console-content-preview') });

      // published: residents see it, with the heading and without the script
      await drawer.getByRole('button', { name: w('editor.publish'), exact: true }).click();
      await expect.poll(publicNewsTitles, { timeout: 10_000 }).toContain(title);
      const listed = (
        (await e.t.call('GET', '/api/content/articles?section=news&pageSize=50')).json() as PublicList
      ).items.find((i) => i.title === title)!;
      const read = await e.t.call('GET', `/api/content/articles/${listed.id}`);
      expect(read.statusCode, read.body).toBe(200);
      const article = read.json() as { bodyHtml: string; coverUrl: string | null };
      expect(article.bodyHtml).toMatch(/<h2[^>]*>服务项目<\/h2>/);
      expect(article.bodyHtml).toContain('<li>测量血压</li>');
      expect(article.bodyHtml).not.toMatch(/<script/i);
      expect(article.coverUrl).not.toBeNull();
      await row.getByText(w('content.state.published'), { exact: true }).waitFor();

      // the freshness view: the seeded 工程监督 section has had nothing new for over 30 days
      await drawer
        .locator('.ant-drawer-close')
        .click()
        .catch(() => {});
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: w('content.freshness') }).click();
      const stale = page.locator('.jd-freshness .ant-table-row').filter({ hasText: '工程监督' });
      await stale.waitFor({ timeout: 10_000 });
      await expect.poll(() => stale.textContent()).toMatch(/已 \d+ 天未更新/);
      const news = page.locator('.jd-freshness .ant-table-row').filter({ hasText: '新闻动态' });
      await expect.poll(() => news.textContent()).toContain(w('fresh.ok'));
      await page.screenshot({ path: screenshotPath('console-content-freshness'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });
});
