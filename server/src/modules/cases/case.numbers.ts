// Readable case numbers (FY20261127-0042): a counter per Shanghai day, reserved in blocks so a
// report does not update the counter row itself. Each process (instance) holds its own block, in
// its own statement outside any report's transaction, so a failed report or a restart leaves a gap
// in the numbers, never a duplicate.

export class CaseNumbers {
  private day = '';
  private next = 0;
  private last = -1;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly reserve: (day: string, count: number) => Promise<number>,
    private readonly blockSize = 50,
  ) {}

  async take(day: string): Promise<number> {
    for (;;) {
      if (day === this.day && this.next <= this.last) return this.next++;
      if (!this.pending) {
        this.pending = this.reserve(day, this.blockSize)
          .then((top) => {
            this.day = day;
            this.next = top - this.blockSize + 1;
            this.last = top;
          })
          .finally(() => {
            this.pending = null;
          });
      }
      await this.pending;
    }
  }
}
