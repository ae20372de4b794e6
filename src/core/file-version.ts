/** Schema version written into every file; bump on incompatible changes. */
export const FILE_VERSION = '1.0.0';
