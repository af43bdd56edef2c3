// The shell: logging in, each role's home.
import { assert, login } from './harness.mjs';

export const tests = [
  {
    name: 'each staff role logs in and sees its home',
    async run(ctx) {
      for (const [user, heading] of [['steward1', /管家工作台/], ['officer1', /部门收件箱/], ['dispatcher', /调度工作台/], ['leader1', /领导工作台/]]) {
        const page = await ctx.page();
        await login(page, user);
        await page.getByRole('heading', { name: heading }).waitFor();
        await ctx.shot(page, `home-${user}`);
        assert(page.errors.length === 0, `page errors for ${user}: ${page.errors}`);
      }
    },
  },
];
