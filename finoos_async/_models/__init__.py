"""attrs models of the finoOS resources, one module per API area."""
