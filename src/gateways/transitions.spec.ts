import { GATEWAY_STATUSES } from './gateway.entity';
import { isAllowedTransition, SETTABLE_STATUSES } from './transitions';

describe('gateway status transitions', () => {
  const allowed = new Set(['online→disabled', 'offline→disabled', 'registered→disabled', 'disabled→offline']);

  for (const from of GATEWAY_STATUSES) {
    for (const to of SETTABLE_STATUSES) {
      const key = `${from}→${to}`;
      it(`${key} is ${allowed.has(key) ? 'allowed' : 'refused'}`, () => {
        expect(isAllowedTransition(from, to)).toBe(allowed.has(key));
      });
    }
  }
});
