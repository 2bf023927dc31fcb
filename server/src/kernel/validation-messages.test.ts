import { describe, expect, it } from 'vitest';
import { fieldMessage } from './validation-messages.js';

describe('field messages', () => {
  it('says what is wrong in Chinese and English', () => {
    expect(fieldMessage('too_big', { origin: 'string', maximum: 2000 }, '', 'zh-CN')).toBe('最多 2000 个字');
    expect(fieldMessage('too_big', { origin: 'array', maximum: 9 }, '', 'en')).toBe('At most 9 items');
    expect(fieldMessage('too_small', { origin: 'string', minimum: 1 }, '', 'zh-CN')).toBe('必填');
    expect(fieldMessage('too_small', { origin: 'number', minimum: -90 }, '', 'en')).toBe(
      'Must be at least -90',
    );
    expect(
      fieldMessage(
        'invalid_type',
        { expected: 'string' },
        'Invalid input: expected string, received undefined',
        'en',
      ),
    ).toBe('Required');
    expect(
      fieldMessage(
        'invalid_type',
        { expected: 'number' },
        'Invalid input: expected number, received string',
        'en',
      ),
    ).toBe('Wrong type: expected number');
    expect(fieldMessage('invalid_value', { values: ['snap', 'suggestion'] }, '', 'zh-CN')).toBe(
      '请从以下选项中选择：snap、suggestion',
    );
    expect(fieldMessage('custom', {}, 'Something odd', 'en')).toBe('Something odd');
    expect(fieldMessage('custom', {}, 'Something odd', 'zh-CN')).toBe('内容有误');
  });
});
