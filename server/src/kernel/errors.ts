// The one error type. Every refusal carries a stable code; messages exist in zh-CN and English.
import type { Locale } from '@jiedao/contracts';

interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}

// Stable error codes. Add new codes here; never rename an existing one.
export const ERRORS = {
  'request.invalid': {
    status: 400,
    zh: '提交的内容有误，请检查后重试',
    en: 'The request is not valid; please check it',
  },
  'request.malformed_json': {
    status: 400,
    zh: '请求格式错误（JSON 无法解析）',
    en: 'The request body is not valid JSON',
  },
  'request.too_large': { status: 413, zh: '提交的内容过大', en: 'The request is too large' },
  'request.unsupported_media_type': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  'request.not_found': { status: 404, zh: '找不到该页面或接口', en: 'No such route' },
  'request.rate_limited': {
    status: 429,
    zh: '操作太频繁，请稍后再试',
    en: 'Too many requests; please try again later',
  },
  'request.idempotency_mismatch': {
    status: 422,
    zh: '同一个幂等键已用于不同的内容',
    en: 'This Idempotency-Key was already used with a different request',
  },
  'request.csrf': {
    status: 403,
    zh: '页面已过期，请刷新后重试',
    en: 'Security token missing or wrong; reload the page and try again',
  },
  'internal.error': {
    status: 500,
    zh: '系统繁忙，请稍后再试',
    en: 'Something went wrong on our side; please try again',
  },
  'branding.low_contrast': {
    status: 400,
    zh: '主题色太浅：白色文字在其上看不清（对比度需至少 4.5:1），请选深一些的颜色',
    en: 'The colour is too light: white text on it is hard to read (contrast must be at least 4.5:1); pick a darker one',
  },
  'auth.required': { status: 401, zh: '请先登录', en: 'Please sign in first' },
  'auth.forbidden': { status: 403, zh: '没有权限进行此操作', en: 'You are not allowed to do this' },
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.totp_required': {
    status: 401,
    zh: '请输入动态验证码',
    en: 'Enter the code from your authenticator app',
  },
  'auth.totp_invalid': { status: 401, zh: '动态验证码错误', en: 'The authenticator code is wrong' },
  'auth.password_change_required': {
    status: 403,
    zh: '请先修改管理员为您设置的初始密码',
    en: 'First change the password an administrator set for you',
  },
  'auth.account_disabled': { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  'auth.invalid_phone': {
    status: 400,
    zh: '请输入正确的 11 位手机号码',
    en: 'Enter a valid 11-digit mainland mobile number',
  },
  'auth.otp_too_soon': {
    status: 429,
    zh: '验证码已发送，请 60 秒后再试',
    en: 'A code was just sent; wait 60 seconds before asking again',
  },
  'auth.otp_daily_limit': {
    status: 429,
    zh: '今天获取验证码次数已达上限，请明天再试',
    en: 'Too many codes today for this number; try again tomorrow',
  },
  'auth.otp_invalid': { status: 401, zh: '验证码错误', en: 'The code is wrong' },
  'auth.otp_expired': {
    status: 401,
    zh: '验证码已失效，请重新获取',
    en: 'The code has expired or was used up; ask for a new one',
  },
  'auth.password_weak': {
    status: 400,
    zh: '密码至少 10 位，且不能与用户名相同',
    en: 'The password needs at least 10 characters and must differ from the username',
  },
  'identity.invalid_id_number': {
    status: 400,
    zh: '身份证号码不正确，请核对',
    en: 'The ID number is not valid; please check it',
  },
  'identity.invalid_name': { status: 400, zh: '请输入真实姓名', en: 'Enter your real name' },
  'identity.id_in_use': {
    status: 409,
    zh: '该身份证号已被其他账号认证',
    en: 'This ID number is already verified by another account',
  },
  'identity.username_taken': { status: 409, zh: '用户名已存在', en: 'This username is taken' },
  'identity.not_found': { status: 404, zh: '找不到该账号', en: 'No such account' },
  'grid.not_found': { status: 404, zh: '找不到该网格', en: 'No such grid' },
  'grid.outside_area': {
    status: 404,
    zh: '该位置不在本街道的网格范围内',
    en: 'This location is outside every grid of the subdistrict',
  },
  'grid.invalid_coordinates': {
    status: 400,
    zh: '坐标超出范围（纬度 -90～90，经度 -180～180）',
    en: 'Coordinates out of range (lat -90..90, lng -180..180)',
  },
  'grid.import_invalid': { status: 400, zh: '网格文件有误', en: 'The grid file is not valid' },
  'community.not_found': { status: 404, zh: '找不到该社区', en: 'No such community' },
  'poster.scope_invalid': {
    status: 400,
    zh: '请指定且只指定一项：grid（网格编号）、community（社区编号）或 all=1（全部网格）',
    en: 'Give exactly one of grid (a grid code), community (a community code) or all=1 (every grid)',
  },
  'poster.no_grids': { status: 404, zh: '该范围内没有网格', en: 'There are no grids to print here' },
  'poster.font_missing': {
    status: 503,
    zh: '服务器缺少中文字体，无法生成海报。请管理员安装思源黑体（apt-get install fonts-noto-cjk），或用 POSTER_FONT 指定字体文件',
    en: 'The server has no CJK font for posters. Ask the administrator to install one (apt-get install fonts-noto-cjk) or to point POSTER_FONT at a font file',
  },
  'org.not_found': { status: 404, zh: '找不到该部门或单位', en: 'No such department or body' },
  'category.not_found': { status: 404, zh: '找不到该类别', en: 'No such category' },
  'classify.model_not_found': { status: 404, zh: '找不到该模型版本', en: 'No such model version' },
  'classify.model_invalid': {
    status: 400,
    zh: '不是有效的分类模型文件（请上传 classify-train 生成的模型）',
    en: 'Not a valid classifier model file (upload a model made by classify-train)',
  },
  'classify.model_exists': {
    status: 409,
    zh: '该模型版本已经登记过',
    en: 'This model version is already registered',
  },
  'classify.no_previous': {
    status: 409,
    zh: '没有可回退的上一个版本',
    en: 'There is no previous version to roll back to',
  },
  'classify.evalset_invalid': {
    status: 400,
    zh: '评测集格式有误：每行应为含 label 和 text 的 JSON',
    en: 'The evaluation set is not valid: each line must be JSON with "label" and "text"',
  },
  'classify.evalset_not_found': { status: 404, zh: '找不到该评测集', en: 'No such evaluation set' },
  'dispatch.rule_not_found': { status: 404, zh: '找不到该分拨规则', en: 'No such dispatch rule' },
  'upload.not_an_image': {
    status: 415,
    zh: '只能上传照片（JPG、PNG、WebP）',
    en: 'Only photos can be uploaded (JPEG, PNG, WebP)',
  },
  'upload.unsupported_type': {
    status: 415,
    zh: '暂不支持该图片格式，请改用 JPG 照片',
    en: 'This image format is not supported; please send a JPEG photo',
  },
  'upload.too_large': { status: 413, zh: '照片不能超过 10 MB', en: 'A photo may be at most 10 MB' },
  'upload.too_many_pixels': { status: 413, zh: '照片尺寸过大', en: 'The photo has too many pixels' },
  'upload.corrupt': {
    status: 400,
    zh: '照片文件已损坏，请重新拍摄',
    en: 'The photo file is damaged; please retake it',
  },
  'upload.missing_file': { status: 400, zh: '请选择要上传的照片', en: 'Choose a photo to upload' },
  'upload.not_found': { status: 404, zh: '找不到该照片', en: 'No such photo' },
  'upload.too_many': { status: 400, zh: '最多上传 9 张照片', en: 'At most 9 photos per case' },
  'upload.in_use': {
    status: 409,
    zh: '该照片已用于其他案卷',
    en: 'This photo already belongs to another case',
  },
  'case.not_found': { status: 404, zh: '找不到该案卷', en: 'No such case' },
  'case.invalid_transition': {
    status: 409,
    zh: '案卷当前状态不允许此操作',
    en: 'This action is not possible in the case’s current state',
  },
  'case.forbidden': {
    status: 403,
    zh: '您无权对该案卷进行此操作',
    en: 'You may not take this action on this case',
  },
  'case.missing_field': { status: 400, zh: '缺少必填内容', en: 'A required field is missing' },
  'case.location_required': {
    status: 400,
    zh: '请提供位置（定位或扫描网格二维码）',
    en: 'Give a location (GPS or a grid QR code)',
  },
  'case.category_mismatch': {
    status: 400,
    zh: '该类别不能用于此渠道',
    en: 'This category does not belong to this channel',
  },
  'case.reopen_window_passed': {
    status: 409,
    zh: '结案已超过 7 天，不能重新办理',
    en: 'More than 7 days have passed since closing; the case cannot be reopened',
  },
  'case.already_rated': { status: 409, zh: '您已评价过该案卷', en: 'You have already rated this case' },
  'case.rating_satisfied': {
    status: 409,
    zh: '您已表示满意，不能重新办理',
    en: 'You rated this case as satisfactory; it cannot be reopened',
  },
  'case.extension_pending': {
    status: 409,
    zh: '已有待审批的延期申请',
    en: 'An extension request is already pending',
  },
  'case.no_extension_pending': {
    status: 409,
    zh: '没有待审批的延期申请',
    en: 'No extension request is pending',
  },
  'case.extension_due_invalid': {
    status: 400,
    zh: '延期后的期限必须晚于当前期限',
    en: 'The new due time must be later than the current one',
  },
  'case.merge_target_invalid': {
    status: 409,
    zh: '只能并入另一个未办结的案卷',
    en: 'A case can only be merged into another open case',
  },
  'case.not_supervised': {
    status: 409,
    zh: '该案卷没有待签收的督办',
    en: 'There is no supervision to acknowledge',
  },
  'case.needs_verification': {
    status: 409,
    zh: '该类别需要网格员现场核查后结案',
    en: 'This category must be verified on site before closing',
  },
  'case.department_inactive': {
    status: 409,
    zh: '该部门不存在或已停用',
    en: 'That department does not exist or is inactive',
  },
  'case.follow_own': {
    status: 409,
    zh: '这是您自己反映的案卷，无需关注',
    en: 'You reported this case yourself; there is no need to follow it',
  },
  'case.follow_closed': {
    status: 409,
    zh: '该案卷已办结或已合并，不能再关注',
    en: 'This case is closed or merged and can no longer be followed',
  },
  'case.export_too_large': {
    status: 422,
    zh: '导出的案卷超过上限（50,000 条），请缩小筛选范围（如日期、社区、状态）后再导出',
    en: 'Too many cases to export (the limit is 50,000); narrow the filters (dates, community, state) and try again',
  },
  'hot.not_found': {
    status: 404,
    zh: '找不到该热点问题（热点每隔几分钟重新计算，可能已变化）',
    en: 'No such hot issue (hot issues are recomputed every few minutes and may have changed)',
  },
  'stats.invalid_range': {
    status: 400,
    zh: '统计区间无效：日期格式为 YYYY-MM-DD，开始日期不能晚于结束日期，区间最长 366 天',
    en: 'Invalid date range: use YYYY-MM-DD, a start no later than the end, and at most 366 days',
  },
  'live.too_many_streams': {
    status: 429,
    zh: '实时更新连接过多，请关闭其他窗口后重试',
    en: 'Too many live update connections for this account; close another window and try again',
  },
  'content.section_not_found': { status: 404, zh: '找不到该栏目', en: 'No such section' },
  'content.section_code_taken': {
    status: 409,
    zh: '栏目代码已存在',
    en: 'Another section already uses this code',
  },
  'content.section_parent_invalid': {
    status: 400,
    zh: '上级栏目不存在，或不能是本栏目及其下级栏目',
    en: 'The parent section does not exist, or is the section itself or one of its subsections',
  },
  'content.section_not_empty': {
    status: 409,
    zh: '栏目下还有子栏目或文章，不能删除',
    en: 'The section still has subsections or articles and cannot be deleted',
  },
  'content.article_not_found': { status: 404, zh: '找不到该文章', en: 'No such article' },
  'content.file_not_found': { status: 404, zh: '找不到该文件', en: 'No such file' },
  'content.file_missing': { status: 400, zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  'content.file_type_not_allowed': {
    status: 415,
    zh: '只能上传图片（JPG、PNG、WebP）或文档（PDF、Word .docx、Excel .xlsx）',
    en: 'Only images (JPEG, PNG, WebP) and documents (PDF, Word .docx, Excel .xlsx) can be uploaded',
  },
  'content.file_too_large': {
    status: 413,
    zh: '文件不能超过 20 MB，图片不能超过 5000 万像素',
    en: 'A file may be at most 20 MB, an image at most 50 megapixels',
  },
  'content.file_corrupt': {
    status: 400,
    zh: '文件已损坏或与其格式不符',
    en: 'The file is damaged or does not match its format',
  },
  'content.cover_not_image': {
    status: 400,
    zh: '封面必须是图片',
    en: 'The cover must be an image',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
    status?: number,
  ) {
    super(ERRORS[code].en);
    this.name = 'AppError';
    this.status = status ?? ERRORS[code].status;
  }

  localized(locale: Locale): string {
    const spec = ERRORS[this.code];
    return locale === 'en' ? spec.en : spec.zh;
  }
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  const spec = ERRORS[code];
  return locale === 'en' ? spec.en : spec.zh;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
