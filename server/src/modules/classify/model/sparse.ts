// Sparse rows and compressed sparse row (CSR) matrices for the linear models.

export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

export interface CsrMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function toCsr(rows: readonly SparseRow[], cols: number): CsrMatrix {
  let nnz = 0;
  for (const r of rows) nnz += r.indices.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let k = 0;
  rows.forEach((r, i) => {
    indices.set(r.indices, k);
    values.set(r.values, k);
    k += r.indices.length;
    indptr[i + 1] = k;
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

export function selectRows(m: CsrMatrix, which: readonly number[]): CsrMatrix {
  return toCsr(
    which.map((i) => ({
      indices: m.indices.subarray(m.indptr[i]!, m.indptr[i + 1]!),
      values: m.values.subarray(m.indptr[i]!, m.indptr[i + 1]!),
    })),
    m.cols,
  );
}

export function rowOf(m: CsrMatrix, i: number): SparseRow {
  return {
    indices: m.indices.subarray(m.indptr[i]!, m.indptr[i + 1]!),
    values: m.values.subarray(m.indptr[i]!, m.indptr[i + 1]!),
  };
}
