/** Seeded renders whose RSA keys are generated on several workers (see keys.js). */
import type { ChartFiles, RenderOptions, RenderResult } from "./chartroom_wasm.js";

/** Returned by renderWithKeys when `stale()` said a newer run superseded it. */
export declare const STALE: unique symbol;

/** The workers key generation runs on. */
export declare class KeyWorkers {
  readonly size: number;
  /**
   * Starts `size` workers (default: the number of cores, at most 4; none below two), each instantiating
   * `module` (chartroom's compiled WebAssembly.Module) through `glue`, the URL of
   * chartroom_wasm.js. `spawn` may make the workers (default: key-worker.js beside keys.js).
   */
  static create(options: {
    module: WebAssembly.Module;
    glue: string | URL;
    size?: number;
    spawn?: () => Promise<unknown>;
  }): Promise<KeyWorkers>;
  close(): void;
}

/**
 * Renders like `chartroom.render(files, options)`; with a seed and a pool of two or more
 * workers, the render's RSA keys are generated on the workers (the output is the same).
 * `chartroom` is the module's namespace (`import * as chartroom from "chartroom"`).
 */
export declare function renderWithKeys(
  chartroom: object,
  files: ChartFiles,
  options: RenderOptions | undefined,
  pool: KeyWorkers | null,
  control?: { stale?: () => boolean; onKeys?: (count: number) => void },
): Promise<RenderResult | typeof STALE>;
