import { describe, expect, it } from 'vitest';
import { compareKeys } from '../../../lambda/core/order.ts';

describe('compareKeys', () => {
  it('orders by UTF-8 bytes, as S3 lists, not by UTF-16 code units', () => {
    // U+FF5E is one UTF-16 unit above a surrogate pair's first unit, but below it in UTF-8.
    expect(['😀', '～'].sort(compareKeys)).toEqual(['～', '😀']);
    expect(['😀', '～'].sort()).toEqual(['😀', '～']);
  });
});
