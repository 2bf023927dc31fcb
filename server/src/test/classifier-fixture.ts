// A small message classifier trained on seeded toy messages, for tests of the classifier in the
// product (the real corpus is not in the repository): three topics with clear words each.
import { DEFAULT_TRAIN, trainClassifier } from '../modules/classify/index.js';
import type { TrainingRecord } from '../modules/classify/index.js';
import { mulberry32 } from '../kernel/random.js';
import { serialiseModel } from '../modules/classify/model/model.js';

const TOPICS: Record<string, string[]> = {
  城乡建设: ['路灯', '井盖', '施工', '道路', '拆迁', '围墙', '下水道', '桥梁'],
  教育文体: ['学校', '老师', '学生', '学费', '幼儿园', '课程', '考试', '操场'],
  卫生计生: ['医院', '医生', '病人', '药品', '疫苗', '门诊', '护士', '手术'],
};
const COMMON = ['希望', '尽快', '解决', '居民', '情况', '市民', '附近', '最近'];

/** Texts the toy model is sure about, and one it is not (words of three topics). */
export const TOY_SURE = '学校老师让学生交学费，幼儿园也收';
export const TOY_UNSURE = '医院门口道路施工，学校附近';

export function toyRecords(perLabel: number, seed: number): TrainingRecord[] {
  const rand = mulberry32(seed);
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: TrainingRecord[] = [];
  for (let i = 0; i < perLabel; i++)
    for (const [label, words] of Object.entries(TOPICS))
      out.push({
        text: Array.from({ length: 10 }, (_, j) => (j % 2 ? pick(words) : pick(COMMON))).join(''),
        label,
      });
  return out;
}

/** A model file (gzipped JSON, as `classify-train` writes it); another seed gives another version. */
export function toyModelFile(seed: number): Buffer {
  const m = trainClassifier(
    toyRecords(40, seed),
    { ...DEFAULT_TRAIN, folds: 3, seed },
    [],
    new Date(Date.UTC(2026, 10, seed)),
  );
  return serialiseModel(m.data);
}
