import { Role, roleAtLeast, ROLES } from './roles';

describe('roles', () => {
  it('are ordered viewer < operator < admin', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
  });

  const table: [Role, Role, boolean][] = [
    ['viewer', 'viewer', true],
    ['viewer', 'operator', false],
    ['viewer', 'admin', false],
    ['operator', 'viewer', true],
    ['operator', 'operator', true],
    ['operator', 'admin', false],
    ['admin', 'viewer', true],
    ['admin', 'operator', true],
    ['admin', 'admin', true],
  ];

  it.each(table)('%s may call a route needing %s: %s', (actual, required, allowed) => {
    expect(roleAtLeast(actual, required)).toBe(allowed);
  });

  it('an unknown role reaches nothing', () => {
    expect(roleAtLeast('root' as Role, 'viewer')).toBe(false);
  });
});
