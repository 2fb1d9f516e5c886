"""Built-in board papers, one module each; registered through the ``hwb.papers`` entry point."""
