/**
 * One string per distinct name, however many log lines or parts repeat it: a tally or merge keeps
 * a reference per reader, not a copy of the app's name.
 */
export class NamePool {
  private readonly names = new Map<string, string>();

  intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }
}
