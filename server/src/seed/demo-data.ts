// The demo subdistrict's organisation and catalogue: a plausible Fuyong (福永街道), drawn from the
// 2015 article. Plain data; seed/demo.ts writes it through the modules' services.

export interface DemoDepartment {
  code: string;
  zh: string;
  en: string;
  kind: 'internal' | 'external';
  phone?: string;
}

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { code: 'dispatch', zh: '分拨中心', en: 'Dispatch Centre', kind: 'internal', phone: '0755-27310000' },
  { code: 'party', zh: '党建办', en: 'Party Building Office', kind: 'internal' },
  { code: 'union', zh: '总工会', en: 'Trade Union', kind: 'internal' },
  { code: 'safety', zh: '安监办', en: 'Work Safety Office', kind: 'internal' },
  { code: 'rental', zh: '出租屋综合管理所', en: 'Rental Housing Office', kind: 'internal' },
  { code: 'urban', zh: '城管办', en: 'Urban Management', kind: 'internal' },
  { code: 'labour', zh: '劳动监察中队', en: 'Labour Inspection', kind: 'internal' },
  { code: 'education', zh: '教育办', en: 'Education Office', kind: 'internal' },
  { code: 'culture', zh: '文体中心', en: 'Culture and Sports Centre', kind: 'internal' },
  { code: 'construction', zh: '工程监督站', en: 'Construction Supervision', kind: 'internal' },
  { code: 'emergency', zh: '应急（三防）办', en: 'Emergency and Flood Control Office', kind: 'internal' },
  { code: 'environment', zh: '环保所', en: 'Environmental Protection Office', kind: 'internal' },
  { code: 'health', zh: '卫生计生办', en: 'Health and Family Planning Office', kind: 'internal' },
  { code: 'social', zh: '社会事务办', en: 'Social Affairs Office', kind: 'internal' },
  { code: 'economy', zh: '经济服务办', en: 'Economic Services Office', kind: 'internal' },
  {
    code: 'transport-bureau',
    zh: '宝安区交通运输局',
    en: "Bao'an District Transport Bureau",
    kind: 'external',
  },
  { code: 'metro', zh: '深圳地铁集团', en: 'Shenzhen Metro', kind: 'external' },
  { code: 'bus', zh: '宝安公交公司', en: "Bao'an Bus Company", kind: 'external' },
  {
    code: 'housing-bureau',
    zh: '宝安区住房和建设局',
    en: "Bao'an Housing and Construction Bureau",
    kind: 'external',
  },
];

/** Community work stations (社区工作站), one per community; codes follow the community codes. */
export const stationCode = (communityCode: string) => `station-${communityCode}`;

export interface DemoCategory {
  code: string;
  parent?: string;
  zh: string;
  en: string;
  channel: 'snap' | 'suggestion' | 'hardship' | 'labour';
  limits: [intakeH: number, dispatchH: number, signH: number, handleD: number, verifyD: number];
  dept?: string;
  external?: string;
  beyond?: boolean;
  calendar?: boolean;
  verify?: boolean;
  samples: string[];
  /** reply templates for the handlers */
  replies?: string[];
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    code: 'snap',
    zh: '随手拍',
    en: 'Snap report',
    channel: 'snap',
    limits: [2, 2, 4, 5, 2],
    samples: [],
    replies: ['您反映的问题已收悉，经现场核查已处理完毕，感谢您对街道工作的支持和监督。'],
  },
  {
    code: 'snap.safety',
    replies: [
      '经现场检查，已责令责任单位立即整改安全隐患，并将持续跟踪复查。',
      '已联系物业清理消防通道堆放物，通道已恢复畅通。',
    ],
    parent: 'snap',
    zh: '安全隐患',
    en: 'Safety hazard',
    channel: 'snap',
    limits: [2, 2, 4, 3, 1],
    dept: 'safety',
    samples: [
      '工业园厂房消防通道被货物堵死，万一着火人都跑不出来。',
      '宿舍楼下电动车乱拉电线充电，晚上经常冒火花。',
      '这家五金店门口堆放大量液化气罐，离居民楼很近。',
      '路边广告牌松动，刮风时摇晃得厉害，怕砸到人。',
      '工地塔吊下面没有设置警戒区，行人照常通行。',
    ],
  },
  {
    code: 'snap.rental',
    parent: 'snap',
    zh: '出租屋',
    en: 'Rental housing',
    channel: 'snap',
    limits: [2, 2, 8, 5, 2],
    dept: 'rental',
    samples: [
      '这栋出租屋一个单间住了八九个人，还在楼道里做饭。',
      '房东把一楼车库隔成了十几个小房间出租，没有窗户。',
      '出租屋楼顶违规加建了铁皮房，下雨漏水。',
      '新搬来一批租户没有登记，晚上很吵。',
    ],
  },
  {
    code: 'snap.urban',
    replies: [
      '已安排环卫人员清理，现场已恢复整洁，今后将加强巡查。',
      '已对占道经营进行劝导整治，并纳入日常巡查重点。',
    ],
    parent: 'snap',
    zh: '城管环境卫生',
    en: 'Street cleanliness and order',
    channel: 'snap',
    limits: [2, 2, 4, 3, 1],
    dept: 'urban',
    samples: [
      '小区门口的垃圾桶满了两天没人清，味道很大。',
      '菜市场外面有人占道摆卖，堵住了人行道。',
      '路边井盖缺失，晚上很危险。',
      '夜宵档油烟直排，楼上的住户没法开窗。',
      '建筑垃圾倒在绿化带里，已经堆了一个星期。',
    ],
  },
  {
    code: 'snap.urban.garbage',
    parent: 'snap.urban',
    zh: '垃圾堆放',
    en: 'Rubbish dumping',
    channel: 'snap',
    limits: [2, 2, 4, 2, 1],
    dept: 'urban',
    samples: ['巷子口堆满生活垃圾，苍蝇很多。', '有人半夜往河边倒装修垃圾。'],
  },
  {
    code: 'snap.flood',
    parent: 'snap',
    zh: '内涝积水（应急）',
    en: 'Flooding (emergency)',
    channel: 'snap',
    limits: [0.5, 0.5, 1, 1, 1],
    dept: 'emergency',
    calendar: true,
    samples: ['暴雨后隧道积水半米深，有车熄火了。', '地下车库入口进水，挡水板没有放下。'],
  },
  {
    code: 'snap.construction',
    replies: [
      '已督促施工单位整改，并告知夜间施工须按规定办理许可、控制噪音。',
      '已责令施工单位重新加固围挡，人行道已恢复通行。',
    ],
    parent: 'snap',
    zh: '工地施工',
    en: 'Construction sites',
    channel: 'snap',
    limits: [2, 2, 8, 5, 2],
    dept: 'construction',
    samples: ['工地晚上十二点还在打桩，严重扰民。', '施工围挡倒了一段，泥土冲到马路上。'],
  },
  {
    code: 'labour',
    zh: '劳资纠纷',
    en: 'Wage and labour dispute',
    channel: 'labour',
    limits: [2, 2, 4, 5, 2],
    dept: 'labour',
    verify: false,
    samples: [
      '工厂已经三个月没发工资，老板联系不上。',
      '公司不给买社保，辞职时还扣押工资。',
      '加班没有加班费，每天要干十二个小时。',
    ],
  },
  {
    code: 'beyond',
    zh: '道路交通（区、市职权）',
    en: 'Roads and transit (district/city matters)',
    channel: 'snap',
    limits: [2, 2, 8, 15, 2],
    beyond: true,
    samples: [],
  },
  {
    code: 'beyond.road',
    parent: 'beyond',
    zh: '道路破损与交通设施',
    en: 'Road damage and traffic facilities',
    channel: 'snap',
    limits: [2, 2, 8, 15, 2],
    external: 'transport-bureau',
    beyond: true,
    samples: ['福永大道这段路面坑洼很多，电动车经常摔倒。', '路口红绿灯坏了好几天，车辆乱行。'],
  },
  {
    code: 'beyond.bus',
    parent: 'beyond',
    zh: '公交线路',
    en: 'Bus routes',
    channel: 'snap',
    limits: [2, 2, 8, 15, 2],
    external: 'bus',
    beyond: true,
    samples: ['希望增加到地铁站的公交班次，早高峰等车要半小时。', '公交站台的遮雨棚被拆了，一直没有恢复。'],
  },
  {
    code: 'beyond.metro',
    parent: 'beyond',
    zh: '地铁',
    en: 'Metro',
    channel: 'snap',
    limits: [2, 2, 8, 15, 2],
    external: 'metro',
    beyond: true,
    samples: ['地铁站出口没有无障碍电梯，老人推车很不方便。', '希望地铁末班车延长到晚上十二点。'],
  },
  {
    code: 'suggestion',
    zh: '我有话说',
    en: 'Suggestions',
    channel: 'suggestion',
    limits: [4, 4, 8, 10, 2],
    verify: false,
    samples: [],
  },
  ...(
    [
      [
        'urban_rural',
        '城乡建设',
        'Urban and rural development',
        'construction',
        '建议在旧村改造时保留祠堂和榕树，给老人留个活动的地方。',
      ],
      [
        'environment',
        '环境保护',
        'Environmental protection',
        'environment',
        '河道晚上有刺鼻气味，怀疑有工厂偷排废水。',
      ],
      ['transport', '交通运输', 'Transport', 'urban', '学校门口上下学时段车辆乱停，建议设置临时停车区。'],
      [
        'education',
        '教育文体',
        'Education, culture and sports',
        'education',
        '外来务工人员子女入学积分太难凑，希望多开学位。',
      ],
      [
        'labour_social',
        '劳动和社会保障',
        'Labour and social security',
        'social',
        '希望社区多办技能培训班，晚上或周末上课。',
      ],
      ['commerce', '商贸旅游', 'Commerce and tourism', 'economy', '建议在金蚝节期间开放更多停车场。'],
      [
        'health',
        '卫生计生',
        'Health and family planning',
        'health',
        '社区健康服务中心周末不开门，小孩生病只能去大医院排队。',
      ],
    ] as const
  ).map(([code, zh, en, dept, sample]): DemoCategory => ({
    code: `suggestion.${code}`,
    parent: 'suggestion',
    zh,
    en,
    channel: 'suggestion',
    limits: [4, 4, 8, 10, 2],
    dept,
    verify: false,
    samples: [sample],
  })),
  {
    code: 'hardship',
    zh: '党员困难反映',
    en: "Party member's hardship",
    channel: 'hardship',
    limits: [4, 4, 8, 5, 2],
    dept: 'party',
    verify: false,
    samples: ['流动党员，家里老人住院，想了解有没有困难帮扶。'],
  },
];

/** Dispatch rules: [name, category code, community code | null, department code, mode]. */
export const DEMO_RULES: [string, string, string | null, string, 'auto' | 'suggest'][] = [
  ['安全隐患 → 安监办', 'snap.safety', null, 'safety', 'auto'],
  ['出租屋 → 出租屋综合管理所', 'snap.rental', null, 'rental', 'auto'],
  ['城管环境卫生 → 城管办', 'snap.urban', null, 'urban', 'auto'],
  ['内涝积水 → 三防办', 'snap.flood', null, 'emergency', 'auto'],
  ['工地施工 → 工程监督站（人工确认）', 'snap.construction', null, 'construction', 'suggest'],
  ['劳资纠纷 → 劳动监察', 'labour', null, 'labour', 'auto'],
  ['桥头社区垃圾 → 桥头社区工作站', 'snap.urban.garbage', 'FY-C05', 'station-FY-C05', 'auto'],
];

export const DEMO_PASSWORD = 'jiedao-demo';

export const DEMO_STAFF: { username: string; zh: string; role: string; dept?: string }[] = [
  { username: 'admin', zh: '系统管理员', role: 'admin' },
  { username: 'dispatcher', zh: '分拨员 陈晓', role: 'dispatcher', dept: 'dispatch' },
  { username: 'handler', zh: '城管办 李伟', role: 'handler', dept: 'urban' },
  { username: 'grid_worker', zh: '网格员 黄敏', role: 'grid_worker' },
  { username: 'leader', zh: '街道领导 王强', role: 'leader' },
  { username: 'editor', zh: '宣传编辑 刘洋', role: 'editor' },
  { username: 'collector', zh: '出租屋采集员 张静', role: 'collector', dept: 'rental' },
];
