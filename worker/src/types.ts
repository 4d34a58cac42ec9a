import type { Role } from '../../shared';

export interface Caller {
  keyId: string;
  orgId: string;
  role: Role;
  /** The key belongs to the deployment's operator organization. */
  operator: boolean;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string; caller: Caller };
}
