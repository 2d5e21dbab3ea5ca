"""``python -m leadscore.synthetic [DIRECTORY]`` regenerates the committed sample_data/ files."""

from leadscore.sample_files import main

main()
