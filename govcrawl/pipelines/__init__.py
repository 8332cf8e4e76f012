"""Item pipelines: extract (FetchedPage -> record), store, and strip private keys before feeds."""
