// The demo subdistrict's news and policy pages: the 走进福永 and 乐居福永 section trees and a few
// articles in every leaf section, written in Markdown and published over the last 60 days (Shanghai
// time) through the content service — two pinned, one scheduled, one draft, covers on about half and
// a PDF on a policy page. Called by seed/demo.ts; never in production.
import sharp from 'sharp';
import type { StaffActor } from '../kernel/actor.js';
import type { SwitchableClock } from '../kernel/clock.js';
import { ManualClock } from '../kernel/clock.js';
import type { AppContext } from '../kernel/context.js';
import type { Services } from '../app.js';
import { mulberry32 } from '../modules/org/index.js';

interface DemoSection {
  code: string;
  zh: string;
  en: string;
  children?: DemoSection[];
}

export const DEMO_CONTENT_SECTIONS: DemoSection[] = [
  {
    code: 'discover',
    zh: '走进福永',
    en: 'Discover Fuyong',
    children: [
      { code: 'news', zh: '新闻动态', en: 'News' },
      { code: 'party', zh: '党建', en: 'Party Building' },
      { code: 'union', zh: '工会', en: 'Trade Union' },
      { code: 'safety', zh: '安全生产', en: 'Work Safety' },
      { code: 'community', zh: '我的社区', en: 'My Community' },
      { code: 'education', zh: '教育', en: 'Education' },
      { code: 'construction', zh: '工程监督', en: 'Construction Supervision' },
      { code: 'culture', zh: '公共文化', en: 'Public Culture' },
    ],
  },
  {
    code: 'living',
    zh: '乐居福永',
    en: 'Living in Fuyong',
    children: [
      { code: 'rental-news', zh: '出租屋资讯', en: 'Rental Housing News' },
      { code: 'policies', zh: '政策法规', en: 'Policies and Regulations' },
      { code: 'rental-appointments', zh: '出租屋业务预约', en: 'Rental Housing Appointments' },
    ],
  },
  {
    code: 'interact',
    zh: '互动福永',
    en: 'Talk to Fuyong',
    children: [{ code: 'groups', zh: '政府群组', en: 'Government Groups' }],
  },
];

interface DemoArticle {
  section: string;
  title: string;
  summary: string;
  lead: string;
  heading: string;
  items: string[];
  link?: [text: string, url: string];
  daysAgo: number;
  /** Shanghai local hour of publication. */
  hour: number;
  pinned?: boolean;
  cover?: boolean;
  state?: 'draft' | 'scheduled';
  pdf?: boolean;
}

const GOV = '宝安区人民政府网站';
const GOV_URL = 'https://www.baoan.gov.cn/';

export const DEMO_ARTICLES: DemoArticle[] = [
  // ── 新闻动态 ──
  {
    section: 'news',
    title: '福永街道召开2026年度全响应工作推进会',
    summary: '会议总结上一年度全响应工作成效，部署今年重点任务，要求做到“民有所呼、我有所应”。',
    lead: '近日，福永街道召开2026年度全响应工作推进会，街道班子成员、各职能部门和12个社区工作站负责人参加会议。',
    heading: '今年的重点任务',
    items: [
      '随手拍、我有话说等渠道的诉求做到件件有回应',
      '压缩派单、签收时限，超期案件每周通报',
      '网格员日常巡查与居民诉求处置联动',
    ],
    link: [GOV, GOV_URL],
    daysAgo: 2,
    hour: 10,
    pinned: true,
    cover: true,
  },
  {
    section: 'news',
    title: '福永街道“民生微实事”项目征集启动',
    summary: '居民可通过社区工作站或线上渠道提出身边的“小事”，经评议后纳入年度实施计划。',
    lead: '2026年度“民生微实事”项目征集工作正式启动，征集时间持续一个月。',
    heading: '征集范围',
    items: ['小区道路、照明、无障碍设施的修缮', '社区公共空间的改造提升', '面向长者、儿童的便民服务'],
    link: ['深圳市民生微实事介绍', 'https://www.sz.gov.cn/'],
    daysAgo: 9,
    hour: 15,
    cover: true,
  },
  {
    section: 'news',
    title: '凤凰山周边道路改造工程完工通车',
    summary: '改造后的道路新增人行道和非机动车道，沿线公交站台同步升级。',
    lead: '经过半年施工，凤凰山周边道路改造工程于本周完工并恢复通车。',
    heading: '改造内容',
    items: ['拓宽行车道并重新铺设沥青路面', '新增连续的人行道和非机动车道', '更换路灯并增设监控设施'],
    daysAgo: 21,
    hour: 11,
  },
  {
    section: 'news',
    title: '福永街道举办2026年“春风行动”招聘会',
    summary: '60余家企业提供岗位2000余个，现场达成初步就业意向600多人次。',
    lead: '为帮助春节后返岗人员尽快就业，福永街道在文化广场举办“春风行动”专场招聘会。',
    heading: '招聘会亮点',
    items: [
      '电子制造、物流、服务业岗位集中发布',
      '现场提供劳动权益咨询和社保办理指引',
      '设置退役军人和残疾人专场窗口',
    ],
    link: ['深圳市人力资源和社会保障局', 'https://hrss.sz.gov.cn/'],
    daysAgo: 37,
    hour: 9,
    cover: true,
  },
  // ── 党建 ──
  {
    section: 'party',
    title: '街道党工委开展专题党课暨主题党日活动',
    summary: '党工委书记以“把群众的事当成自己的事”为题讲授专题党课。',
    lead: '福永街道党工委近日组织机关及社区党员干部开展专题党课暨主题党日活动。',
    heading: '活动安排',
    items: ['重温入党誓词', '专题党课：把群众的事当成自己的事', '分组讨论如何提升诉求办理质量'],
    daysAgo: 5,
    hour: 14,
    cover: true,
  },
  {
    section: 'party',
    title: '党员志愿者走进社区开展“我为群众办实事”活动',
    summary: '百余名党员志愿者分赴12个社区，开展义诊、家电维修、政策宣讲等服务。',
    lead: '周末，福永街道组织百余名党员志愿者深入12个社区，为居民提供面对面服务。',
    heading: '服务项目',
    items: ['义诊和健康咨询', '小家电免费维修', '社保、医保政策宣讲'],
    daysAgo: 18,
    hour: 16,
  },
  {
    section: 'party',
    title: '“两新”组织党建工作交流会召开',
    summary: '辖区20家非公企业和社会组织党组织负责人交流党建引领企业发展的经验。',
    lead: '福永街道“两新”组织党建工作交流会在街道党群服务中心召开。',
    heading: '交流要点',
    items: ['党建与生产经营深度融合', '发挥党员在技术攻关中的作用', '关心关爱一线员工'],
    daysAgo: 44,
    hour: 10,
  },
  // ── 工会 ──
  {
    section: 'union',
    title: '工会“送温暖”活动走访慰问困难职工',
    summary: '街道总工会走访慰问困难职工和一线劳动者，送去慰问金和生活物资。',
    lead: '街道总工会开展“送温暖”活动，走访辖区企业的困难职工家庭。',
    heading: '慰问对象',
    items: ['因病致困的职工家庭', '单亲困难女职工', '坚守岗位的环卫、快递等一线劳动者'],
    daysAgo: 12,
    hour: 15,
    cover: true,
  },
  {
    section: 'union',
    title: '街道总工会开展职工法律援助进企业活动',
    summary: '律师志愿者走进工业园区，为职工解答劳动合同、工资支付等问题。',
    lead: '为帮助职工依法维权，街道总工会联合律师事务所开展法律援助进企业活动。',
    heading: '咨询集中的问题',
    items: ['劳动合同的签订与解除', '加班工资的计算', '工伤认定的流程'],
    link: ['全国总工会', 'https://www.acftu.org/'],
    daysAgo: 27,
    hour: 10,
  },
  {
    section: 'union',
    title: '职工书屋新增图书2000册',
    summary: '职工书屋更新技能培训、文学和亲子类图书，工作日晚间开放至21:00。',
    lead: '街道职工书屋完成年度图书更新，新增图书2000册。',
    heading: '开放时间',
    items: ['工作日 14:00—21:00', '周末 9:00—17:00', '凭工会会员卡可免费借阅'],
    daysAgo: 50,
    hour: 11,
  },
  {
    section: 'union',
    title: '2026年福永街道职工技能大赛报名通知',
    summary: '大赛设电工、焊工、叉车等项目，优胜者可获评街道“技术能手”。',
    lead: '为弘扬工匠精神，街道总工会将举办2026年职工技能大赛。',
    heading: '比赛项目',
    items: ['电工', '焊工', '叉车操作'],
    daysAgo: -3,
    hour: 9,
    state: 'scheduled',
  },
  // ── 安全生产 ──
  {
    section: 'safety',
    title: '福永街道启动“安全生产月”活动',
    summary: '活动期间将开展隐患排查、应急演练和安全宣传进企业、进社区。',
    lead: '以“人人讲安全、个个会应急”为主题，福永街道“安全生产月”活动正式启动。',
    heading: '活动内容',
    items: ['重点行业领域隐患大排查', '企业应急疏散演练', '安全宣传咨询日'],
    link: ['应急管理部', 'https://www.mem.gov.cn/'],
    daysAgo: 1,
    hour: 9,
    cover: true,
  },
  {
    section: 'safety',
    title: '工贸企业有限空间作业专项检查情况通报',
    summary: '检查企业45家，发现隐患62处，已全部督促整改。',
    lead: '街道安监办近期对辖区工贸企业有限空间作业开展专项检查。',
    heading: '主要问题',
    items: ['未设置有限空间警示标识', '作业前未进行气体检测', '未配备必要的防护用品'],
    daysAgo: 15,
    hour: 14,
  },
  {
    section: 'safety',
    title: '电动自行车安全充电知识问答',
    summary: '电动自行车火灾多发生在夜间充电时，请勿在楼道、室内充电。',
    lead: '夏季气温高，电动自行车充电引发火灾的风险上升。以下几点请牢记。',
    heading: '安全充电要点',
    items: [
      '到集中充电点充电，不要“飞线”充电',
      '充电时间不宜过长，充满即断电',
      '不在楼道、门厅和室内停放充电',
    ],
    daysAgo: 30,
    hour: 17,
  },
  {
    section: 'safety',
    title: '三防应急演练：汛期来临前的“实战检验”',
    summary: '演练模拟强降雨导致低洼地带积水，检验各部门协同处置能力。',
    lead: '为做好汛期防御准备，街道三防办组织开展防汛应急演练。',
    heading: '演练科目',
    items: ['低洼地带人员转移', '地下车库挡水板安装', '抢险物资调配'],
    daysAgo: 52,
    hour: 10,
  },
  {
    section: 'safety',
    title: '关于开展夏季消防安全检查的通知',
    summary: '（草稿）拟于下月开展夏季消防安全检查。',
    lead: '为预防夏季火灾事故，街道拟开展夏季消防安全检查。',
    heading: '检查重点',
    items: ['“三小”场所', '人员密集场所', '出租屋'],
    daysAgo: 0,
    hour: 9,
    state: 'draft',
  },
  // ── 我的社区 ──
  {
    section: 'community',
    title: '社区垃圾分类新规：这些变化你需要知道',
    summary: '厨余垃圾定时定点投放，大件垃圾预约清运，违规投放将被劝导。',
    lead: '自下月起，福永街道各小区将全面实行垃圾分类定时定点投放。',
    heading: '主要变化',
    items: [
      '厨余垃圾每天 7:00—9:00、19:00—21:00 定时投放',
      '大件垃圾和装修垃圾需预约清运',
      '楼层垃圾桶逐步撤除',
    ],
    link: ['深圳市城市管理和综合执法局', 'https://cgj.sz.gov.cn/'],
    daysAgo: 4,
    hour: 11,
    cover: true,
  },
  {
    section: 'community',
    title: '白石厦社区“长者饭堂”正式开业',
    summary: '60岁以上老人凭长者卡就餐可享优惠，行动不便的老人可预约送餐。',
    lead: '白石厦社区长者饭堂正式开业，为社区老人提供营养均衡的午餐和晚餐。',
    heading: '就餐须知',
    items: [
      '午餐 11:00—13:00，晚餐 17:00—18:30',
      '60岁以上老人凭长者卡享受优惠',
      '行动不便的老人可电话预约送餐',
    ],
    daysAgo: 16,
    hour: 12,
  },
  {
    section: 'community',
    title: '塘尾社区邻里节活动精彩回顾',
    summary: '美食分享、亲子游戏和二手集市，让邻里之间多了一份熟悉。',
    lead: '塘尾社区第三届邻里节在社区广场举行，吸引上千名居民参加。',
    heading: '活动现场',
    items: ['百家宴美食分享', '亲子趣味运动会', '闲置物品交换集市'],
    daysAgo: 33,
    hour: 18,
  },
  // ── 教育 ──
  {
    section: 'education',
    title: '2026年积分入学政策解读',
    summary: '宝安区2026年义务教育阶段积分入学办法要点，以及非深户籍家庭需准备的材料。',
    lead: '2026年宝安区义务教育阶段学位申请即将开始，现将积分入学政策要点解读如下。',
    heading: '政策要点',
    items: [
      '学位申请实行网上申请、积分排序',
      '非深户籍儿童需提供居住证和社保缴纳证明',
      '积分相同时按居住年限排序',
    ],
    link: ['宝安区教育局', 'https://www.baoan.gov.cn/'],
    daysAgo: 6,
    hour: 9,
    cover: true,
  },
  {
    section: 'education',
    title: '辖区中小学课后服务开展情况',
    summary: '辖区中小学课后服务实现全覆盖，开设体育、艺术、科技等特色课程。',
    lead: '本学期，福永街道辖区中小学课后服务实现全覆盖。',
    heading: '特色课程',
    items: ['足球、篮球、游泳', '合唱、书法、醒狮', '编程和机器人'],
    daysAgo: 20,
    hour: 16,
  },
  {
    section: 'education',
    title: '暑期青少年防溺水安全提醒',
    summary: '不私自下水游泳，不到无安全设施、无救护人员的水域游泳。',
    lead: '暑期将至，溺水是青少年意外伤亡的主要原因之一，请家长加强监护。',
    heading: '“六不”要求',
    items: ['不私自下水游泳', '不擅自与他人结伴游泳', '不到不熟悉的水域游泳'],
    daysAgo: 41,
    hour: 10,
  },
  // ── 工程监督 ── (the newest article is older than 30 days: the console's freshness check flags it)
  {
    section: 'construction',
    title: '在建工地扬尘治理专项检查',
    summary: '检查在建工地18个，对3个未落实“六个百分百”的工地责令整改。',
    lead: '街道工程监督站联合城管、环保部门开展在建工地扬尘治理专项检查。',
    heading: '检查内容',
    items: ['施工围挡和裸土覆盖', '出入车辆冲洗', '渣土运输车辆密闭'],
    daysAgo: 38,
    hour: 15,
  },
  {
    section: 'construction',
    title: '关于加强塔吊安全管理的提示',
    summary: '塔吊安装、拆卸须由具备资质的单位实施，并按规定进行检测验收。',
    lead: '近期大风天气增多，街道工程监督站提醒各在建项目加强塔吊安全管理。',
    heading: '管理要求',
    items: ['安装拆卸单位须具备相应资质', '每日作业前检查限位和制动装置', '六级以上大风停止作业'],
    daysAgo: 47,
    hour: 11,
  },
  {
    section: 'construction',
    title: '老旧小区改造项目质量巡查情况',
    summary: '对辖区5个老旧小区改造项目开展质量巡查，发现问题已移交施工单位整改。',
    lead: '为确保老旧小区改造工程质量，街道工程监督站开展专项巡查。',
    heading: '巡查重点',
    items: ['外墙和屋面防水', '管线改造', '电梯加装'],
    daysAgo: 56,
    hour: 14,
  },
  // ── 公共文化 ──
  {
    section: 'culture',
    title: '福永“周末剧场”六月演出安排',
    summary: '六月每个周六晚在文化广场上演粤剧、话剧和音乐会，免费观看。',
    lead: '福永“周末剧场”六月演出安排出炉，欢迎居民朋友前来观看。',
    heading: '演出安排',
    items: ['第一周：粤剧折子戏专场', '第二周：青年话剧《出租屋的灯》', '第三周：民乐音乐会'],
    daysAgo: 7,
    hour: 17,
    cover: true,
  },
  {
    section: 'culture',
    title: '福永街道图书馆延长开放时间',
    summary: '自本月起，街道图书馆周一至周日均开放，晚间延长至21:30。',
    lead: '为方便上班族阅读，福永街道图书馆调整开放时间。',
    heading: '新的开放时间',
    items: ['周一至周五 9:00—21:30', '周六、周日 9:00—18:00', '法定节假日另行通知'],
    daysAgo: 24,
    hour: 9,
  },
  {
    section: 'culture',
    title: '醒狮文化进校园',
    summary: '非遗传承人走进辖区小学，教孩子们学习醒狮基本功。',
    lead: '醒狮是岭南传统民俗，福永街道将醒狮文化引入校园课后服务。',
    heading: '课程安排',
    items: ['醒狮历史与礼仪', '基本步法和鼓点', '期末汇报演出'],
    daysAgo: 35,
    hour: 15,
  },
  // ── 出租屋资讯 ──
  {
    section: 'rental-news',
    title: '福永街道开展出租屋消防安全大排查',
    summary: '重点检查出租屋消防通道、电动自行车充电和灭火器配置情况。',
    lead: '为消除出租屋火灾隐患，福永街道组织开展出租屋消防安全大排查。',
    heading: '排查重点',
    items: [
      '疏散通道是否畅通，防盗网是否留有逃生口',
      '电动自行车是否在室内或楼道充电',
      '每层是否配置灭火器和应急照明',
    ],
    link: ['深圳市消防救援支队', 'https://www.sz.gov.cn/'],
    daysAgo: 3,
    hour: 10,
    cover: true,
  },
  {
    section: 'rental-news',
    title: '出租屋“旅馆式”管理试点经验介绍',
    summary: '试点楼栋实行门禁登记、专人管理，租住环境明显改善。',
    lead: '福永街道在部分出租屋楼栋试点“旅馆式”管理，取得良好效果。',
    heading: '试点做法',
    items: ['安装智能门禁并登记租住人员', '每栋楼配备楼长', '定期开展安全巡查'],
    daysAgo: 19,
    hour: 14,
  },
  {
    section: 'rental-news',
    title: '租房提醒：签约前请核实房屋信息',
    summary: '签订租赁合同前，请核实出租人身份和房屋权属，避免上当受骗。',
    lead: '每年毕业季和春节后都是租房高峰，街道出租屋综合管理所提醒广大租客注意以下事项。',
    heading: '签约前请核实',
    items: ['出租人身份证和房屋权属证明', '房屋是否办理租赁登记', '押金、租金和水电费的约定'],
    daysAgo: 29,
    hour: 11,
  },
  // ── 政策法规 ──
  {
    section: 'policies',
    title: '深圳市居住证申领指南（2026年版）',
    summary: '居住证申领条件、所需材料和办理流程，附办事指南 PDF。',
    lead: '在深圳居住满一定期限、符合条件的非深户籍人员，可申领深圳经济特区居住证。',
    heading: '申领条件',
    items: ['在深圳有合法稳定居所', '已办理居住登记满12个月', '在深圳有合法稳定就业，或连续就读'],
    link: ['深圳市公安局', 'https://ga.sz.gov.cn/'],
    daysAgo: 8,
    hour: 10,
    pinned: true,
    pdf: true,
  },
  {
    section: 'policies',
    title: '《深圳经济特区房屋租赁条例》要点解读',
    summary: '出租人、承租人的权利义务，以及租赁登记备案的要求。',
    lead: '《深圳经济特区房屋租赁条例》对房屋租赁活动作出了规范，现将要点解读如下。',
    heading: '条例要点',
    items: [
      '房屋租赁合同应当采用书面形式',
      '出租人应当保证房屋符合安全条件',
      '租赁合同订立后应当办理登记备案',
    ],
    link: ['深圳市住房和建设局', 'https://zjj.sz.gov.cn/'],
    daysAgo: 22,
    hour: 15,
    cover: true,
  },
  {
    section: 'policies',
    title: '来深建设者随迁子女入学材料清单',
    summary: '随迁子女申请义务教育学位需准备的材料及注意事项。',
    lead: '为方便来深建设者为子女申请学位，现将所需材料整理如下。',
    heading: '需准备的材料',
    items: ['监护人居住证', '在深连续缴纳社会保险证明', '房屋租赁登记凭证或购房合同'],
    daysAgo: 46,
    hour: 9,
  },
  // ── 出租屋业务预约 ──
  {
    section: 'rental-appointments',
    title: '出租屋业务预约办理指南',
    summary: '出租屋租赁登记、信息变更等业务可提前预约，到点办理免排队。',
    lead: '为减少群众排队等候时间，街道出租屋综合管理所推出业务预约服务。',
    heading: '预约步骤',
    items: ['在“乐居福永”中选择“出租屋业务预约”', '选择办理事项、日期和时段', '按预约时间携带材料到窗口办理'],
    daysAgo: 10,
    hour: 9,
    cover: true,
  },
  {
    section: 'rental-appointments',
    title: '可预约办理的出租屋业务一览',
    summary: '租赁登记备案、租赁合同变更和注销、居住登记等业务均可预约。',
    lead: '以下出租屋相关业务可通过预约办理。',
    heading: '可预约业务',
    items: ['房屋租赁登记备案', '租赁合同变更、注销', '流动人口居住登记'],
    daysAgo: 10,
    hour: 10,
  },
  {
    section: 'rental-appointments',
    title: '出租屋业务预约常见问题解答',
    summary: '预约后不能按时到场怎么办？需要带哪些材料？一文说清。',
    lead: '我们整理了群众在预约办理出租屋业务时最常问的几个问题。',
    heading: '常见问题',
    items: [
      '预约后不能到场，请提前取消，以免影响下次预约',
      '材料不齐的，可先咨询再预约',
      '代办需携带委托书和双方身份证',
    ],
    daysAgo: 26,
    hour: 16,
  },
  // ── 政府群组 ──
  {
    section: 'groups',
    title: '福永街道各社区居民微信群、工作群一览',
    summary: '12 个社区的居民群和网格群如何加入：扫社区工作站门口的二维码，或到工作站登记。',
    lead: '为方便居民就近反映问题、获取通知，各社区开设了居民微信群，由社区网格员管理。',
    heading: '加入方式',
    items: [
      '到所在社区工作站服务窗口出示住址信息，工作人员拉您入群',
      '扫描社区工作站公告栏张贴的群二维码（二维码每周更新）',
      '群内请文明发言；具体诉求请通过“随手拍”或“我有话说”提交，便于跟踪办理',
    ],
    daysAgo: 5,
    hour: 10,
    pinned: true,
  },
  {
    section: 'groups',
    title: '企业安全生产交流群、出租屋业主群开通',
    summary: '面向辖区企业安全负责人和出租屋业主的两个工作群已开通，发布政策和隐患提醒。',
    lead: '街道安监办和出租屋综合管理所分别开通工作群，及时推送安全提示和政策变化。',
    heading: '适用对象',
    items: [
      '辖区工业企业、三小场所的安全生产负责人',
      '出租屋业主及委托管理人',
      '入群请备注“单位/楼栋 + 姓名”',
    ],
    daysAgo: 18,
    hour: 15,
  },
  {
    section: 'groups',
    title: '党员志愿服务群招募志愿者',
    summary: '社区党委招募周末志愿者参与垃圾分类督导、长者探访等服务。',
    lead: '欢迎辖区党员和热心居民报名参加社区志愿服务。',
    heading: '服务项目',
    items: ['垃圾分类桶边督导', '独居长者探访', '社区活动秩序维护'],
    daysAgo: 33,
    hour: 11,
    cover: true,
  },
];

function markdownBody(a: DemoArticle): string {
  const link = a.link ?? [GOV, GOV_URL];
  return [
    a.lead,
    '',
    `## ${a.heading}`,
    '',
    ...a.items.map((i) => `- ${i}`),
    '',
    '### 咨询方式',
    '',
    `如有疑问，请拨打福永街道咨询电话 **0755-27310000**（工作日 9:00—12:00、14:00—18:00），或访问[${link[0]}](${link[1]})了解更多。`,
  ].join('\n');
}

/** `daysAgo` days before `now`, at `hour`:mm in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiTime(now: Date, daysAgo: number, hour: number, minute: number): Date {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysAgo, hour - 8, minute),
  );
}

const PALETTES: [string, string, string][] = [
  ['#c0392b', '#e67e22', '#f9e79f'],
  ['#1f618d', '#48c9b0', '#d6eaf8'],
  ['#196f3d', '#82e0aa', '#fcf3cf'],
  ['#6c3483', '#ec7063', '#fdebd0'],
  ['#b9770e', '#f4d03f', '#fef9e7'],
  ['#154360', '#5dade2', '#ebf5fb'],
];

/** A 16:9 cover: a diagonal gradient with two soft circles, no text. */
async function renderCover(i: number): Promise<Buffer> {
  const [a, b, c] = PALETTES[i % PALETTES.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
<rect width="800" height="450" fill="url(#g)"/>
<circle cx="${600 - i * 40}" cy="${120 + i * 25}" r="150" fill="${c}" fill-opacity="0.25"/>
<circle cx="${180 + i * 30}" cy="380" r="90" fill="${c}" fill-opacity="0.18"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** A one-page PDF (Helvetica, ASCII text), built by hand with a correct cross-reference table. */
export function tinyPdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 72 ${770 - i * 28} Td (${esc(l)}) Tj ET`);
  const stream = text.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export interface ContentSeedReport {
  sections: number;
  articles: number;
}

export async function seedDemoContent(
  ctx: AppContext,
  services: Services,
  opts: { author: StaffActor; now: Date; clock?: SwitchableClock | undefined },
): Promise<ContentSeedReport> {
  const content = services.content;
  const { author, now } = opts;
  const random = mulberry32(2026);
  const report: ContentSeedReport = { sections: 0, articles: 0 };

  // articles are written a little before they are published, so their timestamps look real
  const sim = new ManualClock(now);
  const previous = opts.clock?.source;
  if (opts.clock) opts.clock.source = sim;
  try {
    const sectionIds = new Map<string, string>();
    const addSections = async (list: DemoSection[], parentId: string | null) => {
      let sort = 0;
      for (const s of list) {
        const created = await content.createSection(
          author,
          { code: s.code, parentId, nameZh: s.zh, nameEn: s.en, sort: sort++ },
          'zh-CN',
        );
        sectionIds.set(s.code, created.id);
        report.sections++;
        if (s.children) await addSections(s.children, created.id);
      }
    };
    sim.set(new Date(now.getTime() - 90 * 86_400_000));
    await addSections(DEMO_CONTENT_SECTIONS, null);

    const covers: string[] = [];
    for (let i = 0; i < PALETTES.length; i++) {
      const file = await content.storeFile(author, await renderCover(i), `cover-${i + 1}.jpg`);
      covers.push(file.id);
    }
    const pdf = await content.storeFile(
      author,
      tinyPdf([
        'Shenzhen Residence Permit: Application Guide (2026)',
        "Fuyong Subdistrict, Bao'an District, Shenzhen",
        '1. Conditions  2. Documents  3. Procedure',
        'Enquiries: 0755-27310000',
      ]),
      '深圳市居住证申领指南（2026年版）.pdf',
    );

    let coverIndex = 0;
    for (const a of DEMO_ARTICLES) {
      const publishAt = shanghaiTime(now, a.daysAgo, a.hour, Math.floor(random() * 60));
      const at = a.state ? now : new Date(Math.min(publishAt.getTime(), now.getTime() - 3_600_000));
      sim.set(new Date(at.getTime() - (1 + random() * 20) * 3_600_000));
      const created = await content.createArticle(
        author,
        {
          sectionId: sectionIds.get(a.section)!,
          title: a.title,
          summary: a.summary,
          coverFileId: a.cover ? covers[coverIndex++ % covers.length]! : null,
          bodyFormat: 'markdown',
          body: markdownBody(a),
          attachments: a.pdf ? [{ fileId: pdf.id }] : [],
          pinned: !!a.pinned,
        },
        'zh-CN',
      );
      report.articles++;
      if (a.state === 'draft') continue;
      sim.set(at);
      await content.publish(
        author,
        created.id,
        (a.state === 'scheduled' ? publishAt : at).toISOString(),
        'zh-CN',
      );
      if (!a.state)
        await content.repo.updateArticle(created.id, {
          view_count: Math.floor(40 + random() * 900 * Math.exp(-a.daysAgo / 40)),
        });
    }
  } finally {
    if (opts.clock && previous) opts.clock.source = previous;
  }
  ctx.log.info({ ...report }, 'demo content seeded');
  return report;
}
