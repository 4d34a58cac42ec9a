import { expect, it } from 'vitest';

// Extension pages forbid eval; Firefox logged 42 refusals of zod's `new Function` probe. The extension's zod
// setting must keep every parse from constructing a function.
it('should parse the contract without ever constructing a function', async () => {
  const constructed: string[] = [];
  const RealFunction = globalThis.Function;
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args) {
      constructed.push(String(args.at(-1)).slice(0, 40));
      return Reflect.construct(target, args);
    },
  });
  try {
    await import('../../../extension/lib/zod-jitless');
    const { FlagRequest, LookupResponse } = await import('../../../shared');
    FlagRequest.parse({ flags: [{ target: 'jitless-demo.net', reason: 'nudify_site', evidence: { title: 'A page', signals: [] } }] });
    LookupResponse.parse({ results: [] });
  } finally {
    globalThis.Function = RealFunction;
  }
  expect(constructed).toEqual([]);
});
