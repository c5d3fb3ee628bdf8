"""The article's tinynn design (numpy arrays as tensors; layers with forward/backward; net, loss, optimizer, model),
re-implemented for the LeNet-5 comparison in bench/lenet-compare.sh. Float32, NCHW."""
