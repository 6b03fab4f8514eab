import json
import subprocess
import sys

import pytest
import tensorflow as tf

# Runs in a fresh interpreter that imports TensorFlow and nothing of this project.
SERVE = """
import json, sys
import tensorflow as tf

model = tf.saved_model.load(sys.argv[1])
sampled = model.signatures["sample"](
    num=tf.constant(5, tf.int32), temperature=tf.constant(1.0), seed=tf.constant(9, tf.int32)
)["names"]
scored = model.signatures["score"](names=tf.constant(["rex", "Saurus", "t-rex"]))["log_prob"]
project = sorted({m.split(".")[0] for m in sys.modules} & {"apps", "layers", "datasets"})
print(json.dumps({
    "names": [name.decode("utf-8") for name in sampled.numpy()],
    "names_dtype": sampled.dtype.name, "names_shape": sampled.shape.as_list(),
    "log_prob": [float(v) for v in scored.numpy()], "log_prob_dtype": scored.dtype.name,
    "project": project,
}))
"""


@pytest.mark.slow
def test_the_savedmodel_serves_sample_and_score_in_a_fresh_process(trained, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(trained.out / "export" / "1")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["project"] == []
    assert served["names_dtype"] == "string" and served["names_shape"] == [5]
    assert served["log_prob_dtype"] == "float32"

    here = trained.char_model
    expected = here.sample(tf.constant(5), tf.constant(1.0), tf.constant(9))["names"].numpy()
    assert served["names"] == [name.decode("utf-8") for name in expected]
    log_prob = here.score(tf.constant(["rex", "saurus"]))["log_prob"].numpy()
    assert served["log_prob"][:2] == pytest.approx(log_prob.tolist(), rel=1e-5)
    assert served["log_prob"][2] == float("-inf")
