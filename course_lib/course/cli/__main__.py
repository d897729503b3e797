import sys

from course_lib.course.cli import main

sys.exit(main())
