import { z } from 'zod';

/*
 * Extension pages forbid eval by their content security policy. Zod probes for it once per page with
 * `new Function`, and Firefox logs every refusal as an error; jitless skips the probe and the compiled fast
 * path (parsing speed here is a few objects per click). Imported first by every entrypoint.
 */
z.config({ jitless: true });
