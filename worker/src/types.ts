import type { Role } from '../../shared';

export interface Caller {
  keyId: string;
  orgId: string;
  role: Role;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string; caller: Caller };
}
