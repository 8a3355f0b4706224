from kubelint.cli import main

# Guarded: a process pool that spawns (Windows, macOS) imports this module in each worker as
# `__mp_main__`, which must not run the command line again.
if __name__ == "__main__":
    raise SystemExit(main())
