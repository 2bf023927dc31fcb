// Place names in a citizen message's text (pure), for grouping messages that carry no coordinates:
// "A3区…路…小区", "…学院", "…中学", "…镇…村". A place key is the two characters before a place
// suffix plus the suffix ("A2区丽发新城小区" → "丽发新城" and "新城小区"), the same way for every
// message, so two messages naming the same estate, school or road share a key even when one writes
// the longer name ("伊景园滨河苑" / "滨河苑"). Districts ("A3区", "A7县") are kept apart: two messages naming different
// districts are never about the same place.

/** Suffixes that end a place name, longest first (a regex alternation tries them in this order). */
const SUFFIXES = [
  '工业园',
  '产业园',
  '幼儿园',
  '商学院',
  '小区',
  '花园',
  '家园',
  '公寓',
  '大厦',
  '广场',
  '新城',
  '新村',
  '山庄',
  '华府',
  '公馆',
  '名苑',
  '花苑',
  '雅苑',
  '学院',
  '大学',
  '中学',
  '小学',
  '学校',
  '医院',
  '公园',
  '市场',
  '大道',
  '街道',
  '园区',
  '车站',
  '国际',
  '壹号',
  '一号',
  '村',
  '镇',
  '乡',
  '路',
  '街',
  '巷',
  '苑',
  '府',
  '城',
  '湾',
  '湖',
  '园',
  '站',
  '桥',
];
const SUFFIX_RE = new RegExp(`(?:${SUFFIXES.join('|')})`, 'gu');

/** Characters that never belong to a place name's last two characters before the suffix. */
const STOP_CHARS = new Set([
  ...'的了在和与及对是把被向从到给我们你他这那该本此各等个有请于为将很都也就还又所其些每某啥哪区',
]);

/** Two characters before a suffix that make a common noun or a verb phrase, not a name. */
const STOP_PREFIXES = new Set([
  '投诉',
  '反映',
  '举报',
  '关于',
  '建议',
  '咨询',
  '请求',
  '要求',
  '附近',
  '周边',
  '整个',
  '多个',
  '两个',
  '一个',
  '所在',
  '新建',
  '修建',
  '城区',
  '全市',
  '全县',
  '进入',
  '前往',
]);

/** Keys that are common nouns, not names. */
const GENERIC = new Set([
  '公交线路',
  '高速公路',
  '安置小区',
  '老旧小区',
  '周边小区',
  '附近小区',
  '整个小区',
  '配套幼儿园',
  '普惠幼儿园',
  '惠性幼儿园',
  '民办幼儿园',
  '公办幼儿园',
  '职业学院',
  '技术学院',
  '民办学校',
  '公办学校',
  '城乡',
  '道路',
  '马路',
  '公路',
  '铁路',
  '水泥路',
  '行政村',
  '农村',
  '城市',
  '县城',
  '进城',
  '出城',
  '主城',
  '全城',
  '省城',
  '市政府',
  '示范园',
  '停车站',
  '公交站',
  '加油站',
  '派出所',
  '政府',
  '临街',
  '沿街',
  '网站',
  '车站',
  '街道',
]);

/** The administrative district codes of the data ("A3区", "A7县", "A市" is the city itself). */
const DISTRICT_RE = /[A-Z]\d{1,2}[区县]/gu;
const ADMIN_RE = /[A-Z]\d{0,2}[市区县省]|西地省/gu;
const RUN_RE = /[\p{Script=Han}A-Za-z0-9]+/gu;

export interface TextPlaces {
  /** district codes named ("A3区"), upper case, sorted */
  districts: string[];
  /** place keys, in order of first appearance */
  keys: string[];
}

/** The districts and place keys named in a text. */
export function placesIn(text: string): TextPlaces {
  const t = text.normalize('NFKC').toUpperCase();
  const districts = [...new Set(t.match(DISTRICT_RE) ?? [])].sort();
  const keys: string[] = [];
  const seen = new Set<string>();
  // administrative prefixes break a name ("A3区麓谷" → "麓谷"), as punctuation does
  for (const run of t.replace(ADMIN_RE, ' ').match(RUN_RE) ?? []) {
    for (const m of run.matchAll(SUFFIX_RE)) {
      const at = m.index;
      if (at < 2) continue;
      const prefix = run.slice(at - 2, at);
      if ([...prefix].some((c) => STOP_CHARS.has(c)) || /^\d+$/.test(prefix) || STOP_PREFIXES.has(prefix))
        continue;
      const key = prefix + m[0];
      if (GENERIC.has(key) || GENERIC.has(key.slice(1)) || seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
    }
  }
  return { districts, keys };
}

/** Characters that end a place name of their own: a name does not extend left across them. */
const NAME_ENDS = new Set([...'路街村镇城区县市省乡巷近建旁边附往至靠']);

/**
 * A place key written out as the texts name it: up to two more characters on its left, within the
 * same name ("力之城" in "A5区劳动东路魅力之城小区" → "魅力之城"). The key itself when no text has it.
 */
export function placeName(key: string, texts: readonly string[]): string {
  for (const text of texts) {
    const t = text.normalize('NFKC').toUpperCase().replace(ADMIN_RE, ' ');
    const at = t.indexOf(key);
    if (at < 0) continue;
    let start = at;
    while (start > 0 && at - start < 2) {
      const c = t[start - 1]!;
      if (!/[\p{Script=Han}A-Za-z0-9]/u.test(c) || STOP_CHARS.has(c) || NAME_ENDS.has(c)) break;
      start--;
    }
    return t.slice(start, at) + key;
  }
  return key;
}
