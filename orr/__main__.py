from orr.cli import main

raise SystemExit(main())
