// What the bundled AWS SDK clients use instead of @aws-sdk/credential-provider-node's default
// chain (environment, SSO, ini files, web identity, container and instance metadata), which
// pulls nested STS/SSO clients into every bundle. In Lambda the execution role's credentials
// are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
// Lambda Developer Guide, "Defined runtime environment variables"), which is the chain's
// first link anyway. scripts/bundle.ts aliases the package to this file.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
