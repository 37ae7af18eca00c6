"""Identity code (issue 13): recognition embedding in the identity layer, its codec and evaluation."""
