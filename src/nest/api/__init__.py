"""PyNEST's API, one module per area: nodes, status, connections, kernel."""
