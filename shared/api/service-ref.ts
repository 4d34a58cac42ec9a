import { z } from 'zod';

/* What names a service wherever an indicator is shown: its id, name, and how a flag came to it. */

export const ServiceId = z
  .string()
  .regex(/^svc_[0-9a-f]{32}$/, 'A service id (svc_ and 32 hex digits).')
  .meta({ id: 'ServiceId', example: 'svc_0b7e4c1e6f1d4d439a557f3c1e2d9a10' });

export const ServiceState = z
  .enum(['proposed', 'named'])
  .meta({ id: 'ServiceState', description: 'proposed: founded by a flag whose evidence matched no service; named: a reviewer has named it.' });

export const ServiceName = z.string().trim().min(2).max(120);

/** How a flag came to a service. */
export const ServiceMatch = z.enum(['member', 'linked', 'proposed']).meta({
  id: 'ServiceMatch',
  description:
    'member: the indicator already belonged to it; linked: the evidence shares an identifier with it; proposed: a new service founded by this flag, for a reviewer to name or merge.',
});

export const ServiceLink = z
  .object({
    id: ServiceId,
    name: z.string(),
    match: ServiceMatch,
    via: z.array(z.string()).meta({ description: 'The identifiers of this flag (kind:value) that the service already held.' }),
  })
  .meta({ id: 'ServiceLink' });
export type ServiceLink = z.infer<typeof ServiceLink>;

export const ServiceRef = z.object({ id: ServiceId, name: z.string(), state: ServiceState }).meta({ id: 'ServiceRef' });
export type ServiceRef = z.infer<typeof ServiceRef>;
