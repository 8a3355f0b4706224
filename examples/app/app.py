import os
import socket

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello {}! I am {}.\n".format(os.getenv("NAME", "world"), socket.gethostname())


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=80)
