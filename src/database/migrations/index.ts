import { InitialSchema1795639646814 } from './1795639646814-InitialSchema';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1795639646814];
