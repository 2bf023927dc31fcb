// The Excel export of a case list: one row per case, the header in the caller's language, the
// header row frozen, an auto-filter and fitting column widths. Times are written as Excel dates in
// Asia/Shanghai wall-clock time. Written with exceljs' streaming writer (rows are not kept as cell
// objects), collected into one buffer.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '@jiedao/contracts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportRow {
  number: string;
  createdAt: string;
  channel: string;
  category: string;
  community: string;
  grid: string;
  state: string;
  department: string;
  dueAt: string | null;
  closedAt: string | null;
  onTime: boolean | null;
  rating: number | null;
  description: string;
  /** masked unless the caller may see it and asked to */
  phone: string;
}

const COLUMNS: { key: keyof ExportRow; zh: string; en: string; width: number; date?: boolean }[] = [
  { key: 'number', zh: '案卷编号', en: 'Number', width: 18 },
  { key: 'createdAt', zh: '登记时间', en: 'Created', width: 17, date: true },
  { key: 'channel', zh: '渠道', en: 'Channel', width: 12 },
  { key: 'category', zh: '类别', en: 'Category', width: 18 },
  { key: 'community', zh: '社区', en: 'Community', width: 14 },
  { key: 'grid', zh: '网格', en: 'Grid', width: 20 },
  { key: 'state', zh: '状态', en: 'State', width: 11 },
  { key: 'department', zh: '承办部门', en: 'Department', width: 20 },
  { key: 'dueAt', zh: '办理时限', en: 'Due', width: 17, date: true },
  { key: 'closedAt', zh: '结案时间', en: 'Closed', width: 17, date: true },
  { key: 'onTime', zh: '按期结案', en: 'On time', width: 10 },
  { key: 'rating', zh: '评价', en: 'Rating', width: 8 },
  { key: 'description', zh: '问题描述', en: 'Description', width: 60 },
  { key: 'phone', zh: '反映人电话', en: 'Reporter phone', width: 16 },
];

/** An instant as the Excel date showing its Shanghai wall-clock time. */
const excelDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000);

export async function casesWorkbook(rows: readonly ExportRow[], locale: Locale): Promise<Buffer> {
  const en = locale === 'en';
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Jiedao';
  const ws = wb.addWorksheet(en ? 'Cases' : '案卷', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    ...(c.date ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  const lastColumn = String.fromCharCode('A'.charCodeAt(0) + COLUMNS.length - 1);
  ws.autoFilter = `A1:${lastColumn}1`;
  const header = ws.addRow(COLUMNS.map((c) => (en ? c.en : c.zh)));
  header.font = { bold: true };
  header.commit();
  const yes = en ? 'Yes' : '是';
  const no = en ? 'No' : '否';
  for (const r of rows) {
    ws.addRow([
      r.number,
      excelDate(r.createdAt),
      r.channel,
      r.category,
      r.community,
      r.grid,
      r.state,
      r.department,
      r.dueAt ? excelDate(r.dueAt) : null,
      r.closedAt ? excelDate(r.closedAt) : null,
      r.onTime === null ? null : r.onTime ? yes : no,
      r.rating,
      r.description,
      r.phone,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  await finished;
  return Buffer.concat(chunks);
}
