import os
import sys

# Lets pytest import semface_ref from any working directory.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
