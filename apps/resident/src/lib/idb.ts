// A minimal promise wrapper over IndexedDB: one database, object stores keyed by `id`.
const DB_NAME = 'jiedao';
const DB_VERSION = 1;
export const STORES = ['drafts'] as const;
type Store = (typeof STORES)[number];

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const s of STORES)
        if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      dbPromise = null;
      reject(req.error);
    };
  });
  return dbPromise;
}

function run<T>(store: Store, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = fn(tx.objectStore(store));
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

export const idbPut = <T extends { id: string }>(store: Store, value: T) =>
  run<IDBValidKey>(store, 'readwrite', (s) => s.put(value));
export const idbGet = <T>(store: Store, id: string) =>
  run<T | undefined>(store, 'readonly', (s) => s.get(id));
export const idbAll = <T>(store: Store) => run<T[]>(store, 'readonly', (s) => s.getAll());
export const idbDelete = (store: Store, id: string) =>
  run<undefined>(store, 'readwrite', (s) => s.delete(id));
