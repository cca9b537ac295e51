"""The project's WSGI application, plus an X-Worker-Pid header naming the process that answered.

Only the server tests load it (gunicorn ... tests.serving.pid_wsgi:application), to see that
both workers of a server took part.
"""

import os

from factcheck.wsgi import application as project_application


def application(environ, start_response):
    def start_with_pid(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return project_application(environ, start_with_pid)
