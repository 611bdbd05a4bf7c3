// The repository's own scripts (demo, benchmarks) run from source through Quarry's loader.
import '../loader/register.js'
