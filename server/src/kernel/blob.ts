// The port for stored files (photos). adapters/storage provides the local-disk implementation.
export interface BlobStore {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** Removes a stored file; a key that holds nothing is not an error. */
  delete(key: string): Promise<void>;
}
