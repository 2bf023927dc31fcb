// The stable error codes: every one has a Chinese and an English message and an HTTP error status.
import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, errorMessage, isAppError } from './errors.js';
import type { ErrorCode } from './errors.js';

const CODES = Object.keys(ERRORS) as ErrorCode[];
const CJK = /[\u4e00-\u9fff]/;

describe('ERRORS', () => {
  it('has the codes the case machine refuses with', () => {
    for (const code of [
      'case.invalid_transition',
      'case.forbidden',
      'case.missing_field',
      'case.reopen_window_passed',
      'case.already_rated',
      'case.rating_satisfied',
      'case.extension_pending',
      'case.no_extension_pending',
      'case.not_supervised',
      'case.needs_verification',
    ]) {
      expect(CODES).toContain(code);
    }
  });

  it.each(CODES)('%s has zh and en messages and an error status', (code) => {
    const spec = ERRORS[code];
    expect(spec.zh.trim().length).toBeGreaterThan(0);
    expect(spec.en.trim().length).toBeGreaterThan(0);
    expect(spec.zh).toMatch(CJK);
    expect(spec.en).not.toMatch(CJK);
    expect(spec.zh).not.toBe(spec.en);
    expect(Number.isInteger(spec.status)).toBe(true);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThanOrEqual(599);
  });

  it('uses dotted lower-case codes', () => {
    for (const code of CODES) expect(code).toMatch(/^[a-z0-9]+\.[a-z0-9_]+$/);
  });

  it('gives the statuses clients rely on', () => {
    expect(ERRORS['auth.required'].status).toBe(401);
    expect(ERRORS['case.forbidden'].status).toBe(403);
    expect(ERRORS['case.not_found'].status).toBe(404);
    expect(ERRORS['case.invalid_transition'].status).toBe(409);
    expect(ERRORS['request.rate_limited'].status).toBe(429);
    expect(ERRORS['internal.error'].status).toBe(500);
  });
});

describe('AppError', () => {
  it('carries the code, the default status and the English message', () => {
    const e = new AppError('case.reopen_window_passed');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AppError');
    expect(e.code).toBe('case.reopen_window_passed');
    expect(e.status).toBe(409);
    expect(e.message).toBe('More than 7 days have passed since closing; the case cannot be reopened');
    expect(e.details).toBeUndefined();
  });

  it('keeps details and an overriding status', () => {
    const e = new AppError('case.missing_field', { field: 'reason' }, 422);
    expect(e.details).toEqual({ field: 'reason' });
    expect(e.status).toBe(422);
  });

  it('localizes its message', () => {
    const e = new AppError('case.rating_satisfied');
    expect(e.localized('zh-CN')).toBe('您已表示满意，不能重新办理');
    expect(e.localized('en')).toBe('You rated this case as satisfactory; it cannot be reopened');
    expect(new AppError('auth.required').localized('zh-CN')).toBe('请先登录');
  });

  it('is recognised by isAppError, plain errors are not', () => {
    expect(isAppError(new AppError('internal.error'))).toBe(true);
    expect(isAppError(new Error('boom'))).toBe(false);
    expect(isAppError({ code: 'internal.error', status: 500 })).toBe(false);
  });
});

describe('errorMessage', () => {
  it('gives the message of a code in either locale', () => {
    expect(errorMessage('upload.too_many', 'zh-CN')).toBe('最多上传 9 张照片');
    expect(errorMessage('upload.too_many', 'en')).toBe('At most 9 photos per case');
  });
});
